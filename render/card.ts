// The platform-neutral card every renderer builds and every channel draws its own way (the outbox stores it).
export type { Card, CardButton } from '../db/payloads.js'
