import { useSyncExternalStore } from 'react';
import { useSession } from '../session.js';

const DESCRIPTIONS = {
  connecting: 'Connecting to live updates',
  live: 'Live: changes appear as they are committed',
  reconnecting: 'Connection lost; reconnecting',
  offline: 'Not receiving live updates',
};

/** The subscription socket's state: exactly one of connecting, live, reconnecting, offline. */
export default function ConnectionStatus() {
  const { status } = useSession();
  const value = useSyncExternalStore(status.subscribe, status.get);
  return (
    <span className={`status status-${value}`} title={DESCRIPTIONS[value]} role="status">
      <span data-testid="connection-status">{value}</span>
    </span>
  );
}
