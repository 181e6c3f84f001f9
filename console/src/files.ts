/** Files people pick or drop, sent as the API takes them. */

/** The media type to send a file as: the browser's guess, else by its extension. */
export function mediaType(file: File): string {
  if (file.type) return file.type;
  const ext = file.name.toLowerCase().split('.').pop();
  if (ext === 'json') return 'application/json';
  if (ext === 'xml') return 'application/xml';
  if (ext === 'pdf') return 'application/pdf';
  return 'text/plain';
}

/** Send a raw body (a file or FormData) through openapi-fetch unchanged: FormData gets its boundary from the browser. */
export function rawBody(body: Blob | FormData) {
  return { body: body as never, bodySerializer: (b: unknown) => b as BodyInit };
}
