import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { RequireAuth, RequireManager } from './auth/guards';
import { Layout } from './components/Layout';
import { Loading } from './components/Loading';
import { HomePage } from './pages/HomePage';
import { LoginPage } from './pages/LoginPage';
import { ForbiddenPage, NotFoundPage } from './pages/StatusPages';
import { RESOURCES } from './pages/resources/definitions';

// Pages past the first screen load on demand.
const ProfilePage = lazy(() => import('./pages/ProfilePage').then((m) => ({ default: m.ProfilePage })));
const DocsPage = lazy(() => import('./pages/DocsPage').then((m) => ({ default: m.DocsPage })));
const UsersPage = lazy(() => import('./pages/users/UsersPage').then((m) => ({ default: m.UsersPage })));
const UserCreatePage = lazy(() => import('./pages/users/UserForms').then((m) => ({ default: m.UserCreatePage })));
const UserEditPage = lazy(() => import('./pages/users/UserForms').then((m) => ({ default: m.UserEditPage })));
const ResourceListPage = lazy(() =>
  import('./pages/resources/ResourcePages').then((m) => ({ default: m.ResourceListPage })),
);
const ResourceDetailPage = lazy(() =>
  import('./pages/resources/ResourcePages').then((m) => ({ default: m.ResourceDetailPage })),
);

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading label="Loading page…" />}>{children}</Suspense>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="users/profile/me" element={<Lazy><ProfilePage /></Lazy>} />
        <Route path="users" element={<RequireManager><Lazy><UsersPage /></Lazy></RequireManager>} />
        <Route path="users/new" element={<RequireManager><Lazy><UserCreatePage /></Lazy></RequireManager>} />
        <Route path="users/:userId" element={<RequireManager><Lazy><UserEditPage /></Lazy></RequireManager>} />
        <Route path="docs" element={<Lazy><DocsPage /></Lazy>} />
        {RESOURCES.map((def) => (
          <Route key={def.key} path={def.key}>
            <Route index element={<Lazy><ResourceListPage key={def.key} def={def} /></Lazy>} />
            <Route path=":id" element={<Lazy><ResourceDetailPage key={def.key} def={def} /></Lazy>} />
          </Route>
        ))}
        <Route path="forbidden" element={<ForbiddenPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
