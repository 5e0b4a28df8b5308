import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppRoutes, prefetchRoute } from './App';
import { createServices, ServicesProvider } from './services';
import './styles.css';

/** How long the first render waits for the first page's chunk before showing "Loading page…". */
const FIRST_PAGE_WAIT_MS = 300;

const services = createServices();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

const render = () =>
  createRoot(root).render(
    <StrictMode>
      <ServicesProvider services={services}>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </ServicesProvider>
    </StrictMode>,
  );

// The error-report pages: their chunk and data are asked for now, in parallel, and
// the first render waits (briefly) for the chunk, so the page, and its rows when
// the answer is there, appear in the first frame.
const firstPage = services.auth.isAuthenticated
  ? prefetchRoute(services.client, window.location.pathname, window.location.search)
  : undefined;
if (firstPage) {
  void Promise.race([firstPage, new Promise((resolve) => setTimeout(resolve, FIRST_PAGE_WAIT_MS))]).then(render);
} else {
  render();
}
