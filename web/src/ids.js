/** The database id inside a Relay global id (base64 of `Order:<id>`), or NaN. */
export function databaseId(globalId) {
  try {
    const [, id] = atob(globalId).split(':');
    return Number(id);
  } catch {
    return NaN;
  }
}
