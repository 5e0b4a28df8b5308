import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import { ApiClient } from './api/client';
import { AuthStore, type AuthState } from './auth/store';

export interface Services {
  client: ApiClient;
  auth: AuthStore;
}

/** The API client wired to a session store. */
export function createServices(options: { baseUrl?: string; fetch?: typeof fetch; storage?: Storage } = {}): Services {
  const client = new ApiClient({ baseUrl: options.baseUrl, fetch: options.fetch });
  const auth = new AuthStore({ client, storage: options.storage });
  client.setAuth(auth);
  return { client, auth };
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  useEffect(() => services.auth.start(), [services]);
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() needs a <ServicesProvider>.');
  return services;
}

export function useClient(): ApiClient {
  return useServices().client;
}

export function useAuth(): AuthState & { store: AuthStore } {
  const { auth } = useServices();
  const state = useSyncExternalStore(auth.subscribe, auth.getState, auth.getState);
  return { ...state, store: auth };
}
