import { useQuery } from '@apollo/client/react';
import { ME } from '../graphql.js';

export default function WhoAmI() {
  const { data, error } = useQuery(ME);
  const name = data?.me?.username ?? (error ? 'unknown' : data ? 'unknown user' : '…');
  return (
    <strong data-testid="whoami" title={error?.message}>
      {name}
    </strong>
  );
}
