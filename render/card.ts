// The platform-neutral card every renderer builds and every channel draws its own way.

export interface CardButton {
  label: string
  action: string // e.g. 'report', 'confirm'
  value: Record<string, string>
  style?: 'primary' | 'danger' | 'default'
}

/** A platform-neutral card; each channel renders it its own way. */
export interface Card {
  title: string
  template?: 'blue' | 'red' | 'orange' | 'green' | 'grey'
  fields: Array<[label: string, value: string]>
  text?: string
  buttons?: CardButton[]
  image?: { png: Uint8Array; alt: string }
}
