import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './App.jsx';
import { loadConfig } from './config.js';
import './styles.css';

const root = createRoot(document.getElementById('root'));

loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (error) =>
    root.render(
      <p role="alert" className="fatal">
        Could not load the page's configuration: {error.message}
      </p>,
    ),
);
