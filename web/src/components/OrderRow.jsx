import StateControl from './StateControl.jsx';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** `changed`: a subscription event just touched this order (marked for a few seconds). */
export default function OrderRow({ order, changed }) {
  return (
    <tr
      data-testid="order-row"
      data-order-id={order.id}
      data-changed={changed ? 'true' : 'false'}
      className={changed ? 'changed' : undefined}
    >
      <td>
        <time dateTime={order.date}>{dateFormat.format(new Date(`${order.date}T00:00:00Z`))}</time>
      </td>
      <td data-testid="order-state">
        <span className={`badge badge-${order.state.toLowerCase()}`}>{order.state}</span>
      </td>
      <td>{order.user.username}</td>
      <td>
        <StateControl order={order} />
      </td>
    </tr>
  );
}
