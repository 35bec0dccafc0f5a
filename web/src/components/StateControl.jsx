import { useId, useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { UPDATE_ORDER } from '../graphql.js';

const STATES = ['PAID', 'UNPAID'];

/**
 * Changes the order's state with `updateOrder`. The row shows the new state once the server has
 * saved it (the payload's order lands in the cache); field errors in the payload are shown here.
 */
export default function StateControl({ order }) {
  const errorId = useId();
  const [updateOrder] = useMutation(UPDATE_ORDER);
  const [pending, setPending] = useState(null);
  const [problems, setProblems] = useState([]);

  async function change(event) {
    const state = event.target.value;
    setPending(state);
    setProblems([]);
    try {
      const { data } = await updateOrder({ variables: { input: { id: order.id, state } } });
      const errors = data?.updateOrder?.errors ?? [];
      setProblems(errors.map(({ field, messages }) => (field === '__all__' ? '' : `${field}: `) + messages.join(' ')));
    } catch (error) {
      setProblems([error.message]);
    } finally {
      setPending(null);
    }
  }

  return (
    <div className="state-control">
      <select
        data-testid="order-state-control"
        aria-label={`State of the order of ${order.date}`}
        aria-describedby={problems.length ? errorId : undefined}
        aria-busy={pending != null}
        disabled={pending != null}
        value={pending ?? order.state}
        onChange={change}
      >
        {STATES.map((state) => (
          <option key={state} value={state}>
            {state === 'PAID' ? 'Paid' : 'Unpaid'}
          </option>
        ))}
      </select>
      {problems.length > 0 && (
        <ul id={errorId} role="alert" className="field-errors">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
