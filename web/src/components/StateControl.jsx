import { useId, useState } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { UPDATE_ORDER } from '../graphql.js';
import { writeOrder } from '../orderCache.js';
import { useOwnMutations } from '../ownMutationsContext.js';

const STATES = ['PAID', 'UNPAID'];

/**
 * Changes the order's state with `updateOrder`. The row shows the new state at once (an optimistic
 * layer of the cache), and the mutation's result is written once: from its payload or, should the
 * change feed bring its echo first, from that (ownMutations.js); it is not marked as a change, the
 * viewer made it. When nothing was saved the row shows the state it had, and the payload's field
 * errors show here.
 */
export default function StateControl({ order }) {
  const errorId = useId();
  const { cache } = useApolloClient();
  const ownMutations = useOwnMutations();
  // Not written by Apollo: whether to write the payload is ownMutations' to say.
  const [updateOrder] = useMutation(UPDATE_ORDER, { fetchPolicy: 'no-cache' });
  const [pending, setPending] = useState(null);
  const [problems, setProblems] = useState([]);

  async function change(event) {
    const state = event.target.value;
    setPending(state);
    setProblems([]);
    const clientMutationId = ownMutations.begin(order.id);
    cache.batch({ optimistic: clientMutationId, update: (layer) => writeOrder(layer, { ...order, state }) });
    try {
      const { data } = await updateOrder({ variables: { input: { id: order.id, state, clientMutationId } } });
      const payload = data?.updateOrder;
      const errors = payload?.errors ?? [];
      const saved = Boolean(payload?.order) && errors.length === 0;
      // The optimistic layer goes and the saved order (if it is to be written) comes in one update.
      cache.batch({
        optimistic: false,
        removeOptimistic: clientMutationId,
        update: (root) => {
          if (ownMutations.settle(clientMutationId, saved)) writeOrder(root, payload.order);
        },
      });
      setProblems(errors.map(({ field, messages }) => (field === '__all__' ? '' : `${field}: `) + messages.join(' ')));
    } catch (error) {
      ownMutations.lost(clientMutationId);
      cache.removeOptimistic(clientMutationId);
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
