// The console chat page: static files in ./static (console.html, console.css, console.js), read once when
// this module loads and served as they are by ./routes.ts. No build step and no external URLs (the machines
// it runs on have no internet). This is the one Node-only piece (node:fs, a file URL next to this module);
// another runtime (Workers, say) would import the three files as text instead and keep the same shape.
import { readFileSync } from 'node:fs'

const read = (name: string): string => readFileSync(new URL(`./static/${name}`, import.meta.url), 'utf8')

/** The page and its two assets, each with the URL it is served at and its content type. */
export const consolePage = {
  html: { path: '/console', type: 'text/html; charset=utf-8', body: read('console.html') },
  css: { path: '/console/console.css', type: 'text/css; charset=utf-8', body: read('console.css') },
  js: { path: '/console/console.js', type: 'text/javascript; charset=utf-8', body: read('console.js') },
} as const
