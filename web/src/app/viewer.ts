// The signed-in viewer of the current organization, read once by the shell (SignedInViewerQuery) and given to
// every screen: its role shapes what the screens offer, its organization's zone and currency how they show data.
import { createContext, useContext } from 'react';
import type { Role } from '../auth/session';
import type { LiveState } from '../relay/live';

export interface ViewerOrganization {
  id: string;
  name: string;
  trackingKey: string;
  currency: string;
  timezone: string;
  attributionWindowDays: number;
}

export interface Viewer {
  role: Role;
  user: { id: string; email: string; name: string } | null;
  organization: ViewerOrganization;
  live: LiveState;
}

export const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer {
  const v = useContext(ViewerContext);
  if (!v) throw new Error('useViewer outside the signed-in shell');
  return v;
}
