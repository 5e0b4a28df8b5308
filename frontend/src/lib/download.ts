/** Saves a JSON value as a file through a temporary object URL (nothing leaves the browser). */
export function downloadJson(value: unknown, filename: string): boolean {
  if (typeof URL.createObjectURL !== 'function') return false;
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return true;
}
