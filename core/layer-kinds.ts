// The overlay layers a county loads: the protection layers every patch is measured against (001's
// key-patch and 问责 figures) and the zones of the department routing of illegal patches (002).

export type LayerKind = 'farmland' | 'basic_farmland' | 'red_line' | 'urban_development' | 'river' | 'transport' | 'forest'

export const LAYER_KINDS: readonly { kind: LayerKind; name: string; aliases: readonly string[]; use: 'protection' | 'routing' }[] = [
  { kind: 'farmland', name: '耕地', aliases: ['耕地', 'GD', 'farmland'], use: 'protection' },
  { kind: 'basic_farmland', name: '永久基本农田', aliases: ['永久基本农田', '基本农田', 'JBNT', 'YJJBNT', 'basic_farmland'], use: 'protection' },
  { kind: 'red_line', name: '生态保护红线', aliases: ['生态保护红线', '红线', 'STBHHX', 'red_line'], use: 'protection' },
  { kind: 'urban_development', name: '城镇开发边界', aliases: ['城镇开发边界', '城市规划区', 'CZKFBJ', 'urban_development'], use: 'routing' },
  { kind: 'river', name: '河道管理范围', aliases: ['河道管理范围', '河道', '河湖管理范围', 'river'], use: 'routing' },
  { kind: 'transport', name: '交通沿线', aliases: ['交通沿线', '交通', '公路铁路沿线', 'transport'], use: 'routing' },
  { kind: 'forest', name: '林地/自然保护地', aliases: ['林地/自然保护地', '林地', '自然保护地', '自然保护区', 'forest'], use: 'routing' },
]

export function layerName(kind: LayerKind): string {
  return LAYER_KINDS.find((k) => k.kind === kind)?.name ?? kind
}

/** `--kind 耕地` / `--kind red_line` / `--kind 林地` → the kind; undefined when none matches. */
export function layerKindOf(text: string): LayerKind | undefined {
  const t = text.normalize('NFKC').trim().toLowerCase()
  return LAYER_KINDS.find((k) => k.aliases.some((a) => a.toLowerCase() === t))?.kind
}
