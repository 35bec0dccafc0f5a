import StateControl from './StateControl.jsx';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const formatDate = (date) => dateFormat.format(new Date(`${date}T00:00:00Z`));

/**
 * `mark`: a change someone else made just touched this order (for a few seconds; see useChangeMarks):
 * a new row is marked whole, an updated one in the cells that changed, with a note of where the change
 * came from when there is one to tell.
 */
export default function OrderRow({ order, mark }) {
  const whole = Boolean(mark?.whole);
  // The cell of `field`, marked when the change touched it; re-keyed by each mark so its highlight
  // starts again. `was`: what it showed before, as its tooltip.
  const cell = (field, testId, children, was) => {
    const changed = Boolean(mark && (whole || mark.fields.has(field)));
    return (
      <td
        key={changed ? `${field}-${mark.seq}` : field}
        data-testid={testId}
        data-changed={changed ? 'true' : 'false'}
        className={changed && !whole ? 'changed' : undefined}
        title={changed && !whole && was ? `Was ${was}` : undefined}
      >
        {children}
      </td>
    );
  };
  const previous = mark?.previous;
  return (
    <tr
      data-testid="order-row"
      data-order-id={order.id}
      data-changed={mark ? 'true' : 'false'}
      className={whole ? 'changed' : undefined}
    >
      {cell('DATE', 'order-date', <time dateTime={order.date}>{formatDate(order.date)}</time>, previous && formatDate(previous.date))}
      {cell('STATE', 'order-state', <span className={`badge badge-${order.state.toLowerCase()}`}>{order.state}</span>, previous?.state)}
      {cell('USER', 'order-user', order.user.username)}
      <td>
        <StateControl order={order} />
        {mark?.note && (
          <span className="change-note" data-testid="change-origin">
            {mark.note}
          </span>
        )}
      </td>
    </tr>
  );
}
