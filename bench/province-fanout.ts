// Placeholder replaced below once the per-app sender exists.
export async function fanoutAcrossApps(o: { cards: number; apps: number }): Promise<string> {
  return `扇出：${o.cards} 张卡片 / ${o.apps} 个应用（未实现）`
}
