import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { RequireAuth, RequireManager } from './auth/guards';
import { Layout } from './components/Layout';
import { Loading } from './components/Loading';
import { HomePage } from './pages/HomePage';
import { LoginPage } from './pages/LoginPage';
import { ForbiddenPage, NotFoundPage } from './pages/StatusPages';
import { RESOURCES } from './pages/resources/definitions';

// Pages past the first screen load on demand, one chunk per area.
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
const ErrorReportListPage = lazy(() =>
  import('./pages/errorreports/ErrorReportListPage').then((m) => ({ default: m.ErrorReportListPage })),
);
const ErrorReportDetailPage = lazy(() =>
  import('./pages/errorreports/ErrorReportDetailPage').then((m) => ({ default: m.ErrorReportDetailPage })),
);
const ParetoPage = lazy(() => import('./pages/errorreports/ParetoPage').then((m) => ({ default: m.ParetoPage })));
const HarvesterListPage = lazy(() =>
  import('./pages/harvesters/HarvesterPages').then((m) => ({ default: m.HarvesterListPage })),
);
const HarvesterDetailPage = lazy(() =>
  import('./pages/harvesters/HarvesterPages').then((m) => ({ default: m.HarvesterDetailPage })),
);
const HarvesterHistoryPage = lazy(() =>
  import('./pages/harvesters/HarvesterPages').then((m) => ({ default: m.HarvesterHistoryPage })),
);
const LocationListPage = lazy(() => import('./pages/fleet/FleetPages').then((m) => ({ default: m.LocationListPage })));
const DistributorListPage = lazy(() =>
  import('./pages/fleet/FleetPages').then((m) => ({ default: m.DistributorListPage })),
);
const EventListPage = lazy(() => import('./pages/events/EventPages').then((m) => ({ default: m.EventListPage })));
const EventDetailPage = lazy(() => import('./pages/events/EventPages').then((m) => ({ default: m.EventDetailPage })));
const NotificationsPage = lazy(() =>
  import('./pages/notifications/NotificationPages').then((m) => ({ default: m.NotificationsPage })),
);
const NotificationDetailPage = lazy(() =>
  import('./pages/notifications/NotificationPages').then((m) => ({ default: m.NotificationDetailPage })),
);
const S3FileListPage = lazy(() => import('./pages/s3files/S3FilePages').then((m) => ({ default: m.S3FileListPage })));
const S3FileDetailPage = lazy(() => import('./pages/s3files/S3FilePages').then((m) => ({ default: m.S3FileDetailPage })));
const FailedIngestListPage = lazy(() =>
  import('./pages/failedingests/FailedIngestPages').then((m) => ({ default: m.FailedIngestListPage })),
);
const FailedIngestDetailPage = lazy(() =>
  import('./pages/failedingests/FailedIngestPages').then((m) => ({ default: m.FailedIngestDetailPage })),
);

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading label="Loading page…" />}>{children}</Suspense>;
}

const page = (element: ReactNode) => <Lazy>{element}</Lazy>;

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
        <Route path="users/profile/me" element={page(<ProfilePage />)} />
        <Route path="users" element={<RequireManager>{page(<UsersPage />)}</RequireManager>} />
        <Route path="users/new" element={<RequireManager>{page(<UserCreatePage />)}</RequireManager>} />
        <Route path="users/:userId" element={<RequireManager>{page(<UserEditPage />)}</RequireManager>} />
        <Route path="docs" element={page(<DocsPage />)} />

        <Route path="errorreports">
          <Route index element={page(<ErrorReportListPage />)} />
          <Route path="view/pareto" element={page(<ParetoPage />)} />
          <Route path=":id" element={page(<ErrorReportDetailPage />)} />
        </Route>
        <Route path="harvesters">
          <Route index element={page(<HarvesterListPage />)} />
          <Route path=":id" element={page(<HarvesterDetailPage />)} />
        </Route>
        <Route path="harvesterhistory" element={page(<HarvesterHistoryPage />)} />
        <Route path="locations" element={page(<LocationListPage />)} />
        <Route path="distributors" element={page(<DistributorListPage />)} />
        {(['events', 'picksessions'] as const).map((kind) => (
          <Route key={kind} path={kind}>
            <Route index element={page(<EventListPage key={kind} kind={kind} />)} />
            <Route path=":id" element={page(<EventDetailPage key={kind} kind={kind} />)} />
          </Route>
        ))}
        <Route path="notifications">
          <Route index element={page(<NotificationsPage />)} />
          <Route path=":id" element={page(<NotificationDetailPage />)} />
        </Route>
        <Route path="s3files">
          <Route index element={page(<S3FileListPage />)} />
          <Route path=":id" element={page(<S3FileDetailPage />)} />
        </Route>
        <Route path="failedingests">
          <Route index element={page(<FailedIngestListPage />)} />
          <Route path=":id" element={page(<FailedIngestDetailPage />)} />
        </Route>

        {RESOURCES.map((def) => (
          <Route key={def.key} path={def.key}>
            {def.genericList && <Route index element={page(<ResourceListPage key={def.key} def={def} />)} />}
            <Route path=":id" element={page(<ResourceDetailPage key={def.key} def={def} />)} />
          </Route>
        ))}
        <Route path="forbidden" element={<ForbiddenPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
