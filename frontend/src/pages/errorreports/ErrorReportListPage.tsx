import { useState } from 'react';
import { Link } from 'react-router';
import type { ErrorReportSummary } from '../../api/hds';
import { DEFAULT_PAGE_SIZE, withQuery } from '../../api/pagination';
import { CopyButton } from '../../components/CopyButton';
import { ListView } from '../../components/ListView';
import { useTitle } from '../../hooks/useTitle';
import { useClient } from '../../services';
import { errorReportColumns, useErrorFilters } from './common';
import { CreateNotificationModal } from './CreateNotificationModal';
import { ErrorFilterForm } from './ErrorFilterForm';
import { describeFilters, filtersToUrl } from './filters';
import { listRequest, REPORTS_PATH } from './requests';

export function ErrorReportListPage() {
  useTitle('Error reports');
  const client = useClient();
  const { params, filters, apply, setParams } = useErrorFilters();
  const [notifying, setNotifying] = useState(false);
  // The same request prefetchErrorReportPage sends on a page load.
  const { limit, offset, query } = listRequest(params);
  const summary = describeFilters(filters);
  const shareable = filtersToUrl(filters).toString();

  const setPage = (nextOffset: number, nextLimit: number) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (nextOffset > 0) next.set('offset', String(nextOffset));
      else next.delete('offset');
      if (nextLimit !== DEFAULT_PAGE_SIZE) next.set('limit', String(nextLimit));
      else next.delete('limit');
      return next;
    });

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

      <ErrorFilterForm value={filters} onApply={apply} />

      <section aria-labelledby="results-title" className="section">
        <div className="section-head">
          <h2 id="results-title">Results</h2>
          <CopyButton
            label="Copy API query"
            text={() => `${window.location.origin}${client.url(withQuery(REPORTS_PATH, { ...query, limit, offset }))}`}
          />
        </div>
        <p className="muted filter-summary">
          {summary.length ? `Filtered by: ${summary.join(' · ')}.` : 'No filters: every error report.'} Times in{' '}
          {filters.tz}. <abbr title="primary exception">*</abbr> marks the primary exception.
        </p>
        <ListView<ErrorReportSummary>
          apiPath={REPORTS_PATH}
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
