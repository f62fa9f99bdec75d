// Files the API answers as downloads. A link cannot carry the bearer token, so the page fetches the file and
// hands the browser the blob under the name the API gave it (Content-Disposition).

/**
 * The file name of a Content-Disposition header: `filename*=UTF-8''…` (RFC 6266/5987, percent-encoded) before
 * `filename="…"` or a bare `filename=…`; `fallback` when it names none. Path parts are dropped, so a name can
 * never point outside the downloads folder.
 */
export function fileNameFromContentDisposition(header: string | null | undefined, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*([\w!#$&+.^`|~-]+)'[^']*'([^;]+)/i.exec(header);
  let name: string | undefined;
  if (extended) {
    try {
      name = decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
    } catch {
      name = undefined; // badly encoded: try the plain parameter
    }
  }
  if (name === undefined) {
    const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
    const bare = /filename\s*=\s*([^";\s]+)/i.exec(header);
    name = quoted ? quoted[1].replace(/\\(.)/g, '$1') : bare?.[1];
  }
  const base = name?.split(/[/\\]/).pop()?.trim();
  return base && base !== '.' && base !== '..' ? base : fallback;
}

/** Hands the browser a blob as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the browser has taken the file (revoking at once can cancel the download in some browsers).
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
