/**
 * The API client reaches components through context, never through a module import, so any
 * screen can be rendered with a fake client (component tests) and the real one is chosen once,
 * at the root (renderer/main.tsx).
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { PitchcaseClient } from '#shared/client';

const ClientContext = createContext<PitchcaseClient | null>(null);

export function ClientProvider({ client, children }: { client: PitchcaseClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): PitchcaseClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('Pitchcase: a component asked for the API client outside <ClientProvider>');
  return client;
}
