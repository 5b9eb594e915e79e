// The dashboard's static files (./static) and the map library, read once when this module loads and
// served as they are: no build step and no external URL (the county's machines have no internet).
// maplibre-gl comes from node_modules (npm), never a CDN. Node-only (node:fs), like the console page.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const read = (name: string): string => readFileSync(new URL(`./static/${name}`, import.meta.url), 'utf8')
const vendor = (file: string): string => readFileSync(createRequire(import.meta.url).resolve(`maplibre-gl/dist/${file}`), 'utf8')

export const dashboardFiles = [
  { path: '/dashboard', type: 'text/html; charset=utf-8', body: read('dashboard.html') },
  { path: '/dashboard/dashboard.css', type: 'text/css; charset=utf-8', body: read('dashboard.css') },
  { path: '/dashboard/dashboard.js', type: 'text/javascript; charset=utf-8', body: read('dashboard.js') },
  { path: '/dashboard/vendor/maplibre-gl.js', type: 'text/javascript; charset=utf-8', body: vendor('maplibre-gl.js') },
  { path: '/dashboard/vendor/maplibre-gl.css', type: 'text/css; charset=utf-8', body: vendor('maplibre-gl.css') },
] as const
