import { createContext, useContext } from 'react';

/** The table's record of its own mutations (createOwnMutations), for the rows' controls that make them. */
export const OwnMutationsContext = createContext(null);

export function useOwnMutations() {
  const ownMutations = useContext(OwnMutationsContext);
  if (!ownMutations) throw new Error('useOwnMutations outside an OwnMutationsContext provider');
  return ownMutations;
}
