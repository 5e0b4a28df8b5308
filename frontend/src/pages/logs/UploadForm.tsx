import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import { Link } from 'react-router';
import { fieldErrors, isApiError } from '../../api/errors';
import { LOGSESSIONS_PATH, UPLOAD_FIELD } from '../../api/logsessions';
import type { LogSession } from '../../api/schemas';
import { formatBytes } from '../../api/s3files';
import { useClient } from '../../services';

/** What a refused or failed upload says to the person who sent it. */
export function uploadErrorMessage(error: unknown): string {
  if (!isApiError(error)) return 'The upload failed.';
  if (error.status === 413) return 'The file is too large for the server: it was not stored.';
  if (error.status === 408) return 'The file did not arrive in time: the upload was cut off. Try again on a faster connection.';
  if (error.status === 403) return 'You may not upload log sessions: uploading needs the support role or higher.';
  if (error.status === 400) {
    const reasons = fieldErrors(error)[UPLOAD_FIELD] ?? fieldErrors(error)[''];
    if (reasons?.length) return `The server refused the file: ${reasons.join(' ')}`;
  }
  return error.message;
}

type Upload =
  | { state: 'idle' }
  | { state: 'sending'; sent: number; total: number }
  | { state: 'done'; session: LogSession }
  | { state: 'failed'; message: string };

/**
 * The upload of a session-clip zip (drop it or choose it): the bytes sent as a progress bar
 * (XMLHttpRequest's upload events), cancel, and the server's answer — the new session, or why
 * the file was refused.
 */
export function UploadForm({ onUploaded }: { onUploaded: (session: LogSession) => void }) {
  const client = useClient();
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<Upload>({ state: 'idle' });
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const sending = upload.state === 'sending';

  const choose = (chosen: File | null) => {
    setFile(chosen);
    setUpload({ state: 'idle' });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || sending) return;
    const form = new FormData();
    form.append(UPLOAD_FIELD, file, file.name);
    const controller = new AbortController();
    abort.current = controller;
    setUpload({ state: 'sending', sent: 0, total: file.size });
    try {
      const session = await client.upload(LOGSESSIONS_PATH, form, {
        signal: controller.signal,
        onProgress: (sent, total) => setUpload({ state: 'sending', sent, total }),
      });
      setUpload({ state: 'done', session });
      setFile(null);
      if (input.current) input.current.value = '';
      onUploaded(session);
    } catch (error) {
      if (controller.signal.aborted) setUpload({ state: 'failed', message: 'Upload cancelled: nothing was stored.' });
      else setUpload({ state: 'failed', message: uploadErrorMessage(error) });
    } finally {
      abort.current = null;
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (sending) return;
    const dropped = event.dataTransfer.files[0];
    if (dropped) choose(dropped);
  };

  const percent = upload.state === 'sending' && upload.total > 0 ? Math.min(100, Math.round((upload.sent / upload.total) * 100)) : 0;

  return (
    <form className="card upload-form" aria-labelledby="upload-title" onSubmit={(e) => void submit(e)}>
      <h2 id="upload-title">Upload a session</h2>
      <div
        className={dragging ? 'drop-zone drop-zone-active' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor="zip-upload">Session-clip zip</label>
        <input
          id="zip-upload"
          ref={input}
          type="file"
          accept=".zip,application/zip"
          disabled={sending}
          onChange={(e) => choose(e.target.files?.[0] ?? null)}
        />
        <p className="field-hint">
          Drop the zip here or choose it: the logs (<code>.log</code>, <code>.dump</code>) and videos (<code>.avi</code> with
          its <code>.json</code>) of one stretch of harvesting. The first file name carries the date and the harvester.
        </p>
      </div>
      {file && !sending && (
        <p className="muted">
          {file.name} · {formatBytes(file.size)}
        </p>
      )}
      {upload.state === 'sending' && (
        <div className="upload-progress">
          <div
            className="progress"
            role="progressbar"
            aria-label="Upload progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${percent}% (${formatBytes(upload.sent)} of ${formatBytes(upload.total)})`}
          >
            <span className="progress-ok" style={{ width: `${percent}%` }} />
          </div>
          <span className="muted nowrap">
            {percent}% · {formatBytes(upload.sent)} of {formatBytes(upload.total)}
          </span>
        </div>
      )}
      {upload.state === 'failed' && (
        <p className="notice notice-error" role="alert">
          {upload.message}
        </p>
      )}
      {upload.state === 'done' && (
        <p className="notice notice-success" role="status">
          Uploaded: <Link to={`/logsession/${upload.session.id}`}>session {upload.session.id}</Link>. The worker extracts it now;
          its state below follows.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={!file || sending}>
          {sending ? 'Uploading…' : 'Upload'}
        </button>
        {sending && (
          <button type="button" className="button" onClick={() => abort.current?.abort()}>
            Cancel upload
          </button>
        )}
      </div>
    </form>
  );
}
