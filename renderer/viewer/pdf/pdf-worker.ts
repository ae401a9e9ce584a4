// The pdf.js worker, bundled by Vite as our own module worker so it is served from the app's
// origin with the app's JavaScript MIME type (CSP worker-src 'self'; no CDN, works offline).
// Importing it is enough: the worker module wires itself to the worker's message port.
import 'pdfjs-dist/build/pdf.worker.min.mjs';
