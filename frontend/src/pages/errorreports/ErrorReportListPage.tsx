import { useState } from 'react';
import { Link } from 'react-router';
import { CopyButton } from '../../components/CopyButton';
import { ListView } from '../../components/ListView';
import { useSetPage } from '../../hooks/usePageParams';
import { useTitle } from '../../hooks/useTitle';
import { useClient } from '../../services';
import { errorReportColumns, useErrorFilters } from './common';
import { CreateNotificationModal } from './CreateNotificationModal';
import { ErrorFilterForm } from './ErrorFilterForm';
import { describeFilters, filtersToUrl } from './filters';
import { listRequest, REPORTS_PATH } from './requests';

/** Where the list's filter panel remembers whether it is open. */
export const FILTERS_OPEN_KEY = 'hds.errorreports.filters-open';

export function ErrorReportListPage() {
  useTitle('Error reports');
  const client = useClient();
  const { params, filters, apply } = useErrorFilters();
  const setPage = useSetPage();
  const [notifying, setNotifying] = useState(false);
  // The same request prefetchErrorReportPage sends on a page load.
  const { limit, offset, query } = listRequest(params);
  const summary = describeFilters(filters);
  const shareable = filtersToUrl(filters).toString();

  return (
    <div className="page">
      <header className="page-head page-head-row">
        <div>
          <h1>Error reports</h1>
          <p className="muted">Reports sent by the harvesters, newest first. Filters are kept in the address, so a view can be shared.</p>
        </div>
        <div className="page-actions">
          <Link to={`/errorreports/view/pareto?${shareable}`} className="button">
            Pareto
          </Link>
          <button type="button" className="button button-primary" onClick={() => setNotifying(true)}>
            Create notification from these filters
          </button>
        </div>
      </header>

      {/* Folded until opened (then remembered), so the first results are on the first screen. */}
      <ErrorFilterForm value={filters} onApply={apply} storageKey={FILTERS_OPEN_KEY} defaultOpen={false} />

      <section aria-labelledby="results-title" className="section">
        <div className="section-head">
          <h2 id="results-title">Results</h2>
          <CopyButton
            label="Copy API query"
            text={() => `${window.location.origin}${client.href(REPORTS_PATH, { query: { ...query, limit, offset } })}`}
          />
        </div>
        <p className="muted filter-summary">
          {summary.length ? `Filtered by: ${summary.join(' · ')}.` : 'No filters: every error report.'} Times in{' '}
          {filters.tz}. <abbr title="primary exception">*</abbr> marks the primary exception.
        </p>
        <ListView
          path={REPORTS_PATH}
          query={query}
          columns={errorReportColumns(filters.tz)}
          caption="Error reports"
          captionHidden
          limit={limit}
          offset={offset}
          onPageChange={setPage}
          emptyMessage="No error report matches these filters."
        />
      </section>

      {notifying && <CreateNotificationModal filters={filters} onClose={() => setNotifying(false)} />}
    </div>
  );
}
