import { sql, type Kysely } from 'kysely'

// Province scale (issue 17). Figures read from counters, not from scans:
// - patch_counters: per tenant, township and issue month, the facts of its patches a figure needs
//   (state, kind, judgment, remedy facts) with their count and 耕地 sums in 1/10000 亩. Kept by
//   statement triggers on patches, so every writer (a chat step, an import, a 撤并) changes them in
//   its own transaction; core turns the facts into figures (core/counter-figures.ts).
// - patch_dues: one row per open step of a patch (its `due` map), indexed by date: 逾期, the
//   warnings and the digest read a range of an index.
// - tenants.level: a city (4503) or province (45) is a tenant of its own whose counties are the
//   tenants under its code; tenant_credentials: a county's own Feishu app or WeCom bot.
export const FACTS_SELECT = `
  tenant_id,
  coalesce(township_id, 0) as township_id,
  substr(issued_on, 1, 7) as issued_month,
  state,
  kind,
  military,
  coalesce(judgment->>'kind', '') as judgment_kind,
  coalesce(judgment->>'landUse', '') as land_use,
  coalesce(rectification->>'measure', '') as measure,
  coalesce(rectification->'missing' = '[]'::jsonb, false) as rect_complete,
  coalesce(rectification->>'cityVerificationRequired', '') as city_required,
  coalesce(flags ? 'city_verification', false) as city_flag,
  coalesce(rectification->'cityVerification'->>'result' = 'passed', false) as city_passed,
  lifecycle ? 'remedied' as has_remedied`
export const FACT_KEYS = 'tenant_id, township_id, issued_month, state, kind, military, judgment_kind, land_use, measure, rect_complete, city_required, city_flag, city_passed, has_remedied'
// Math.round of core's toUnits, for non-negative areas
export const UNITS = (col: string) => `floor(${col} * 10000 + 0.5)::bigint`
/** 一般耕地: the 耕地 of a patch outside its 永久基本农田, never negative */
const GENERAL = `greatest(0, ${UNITS('farmland_mu')} - ${UNITS('basic_farmland_mu')})`
const R = (field: string) => UNITS(`coalesce((lifecycle->'remedied'->>'${field}')::float8, 0)`)
const DEDUCT_D = `least(${UNITS('farmland_mu')}, greatest(0, ${R('demolishedFarmlandMu')}))`
/** what one patch adds to each sum (core/accountability.ts clips a partial remedy the same way) */
const VALUES: Array<[string, string]> = [
  ['n', '1'],
  ['farmland_units', UNITS('farmland_mu')],
  ['basic_units', UNITS('basic_farmland_mu')],
  ['general_units', GENERAL],
  ['area_units', UNITS('area_mu')],
  ['deduct_demolished_units', DEDUCT_D],
  ['deduct_permitted_units', `least(${UNITS('farmland_mu')} - ${DEDUCT_D}, greatest(0, ${R('permittedFarmlandMu')}))`],
  ['demolished_area_units', R('demolishedMu')],
  ['permitted_area_units', R('permittedMu')],
  ['left_area_units', `greatest(0, ${UNITS('area_mu')} - ${R('demolishedMu')} - ${R('permittedMu')})`],
]
const SUMS = VALUES.map((v) => v[0]).join(', ')

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table tenants add column level text not null default 'county' check (level in ('county','city','province'))`.execute(db)

  await sql.raw(`
    create table patch_counters (
      tenant_id integer not null,
      township_id integer not null,
      issued_month text not null,
      state text not null,
      kind text not null,
      military boolean not null,
      judgment_kind text not null,
      land_use text not null,
      measure text not null,
      rect_complete boolean not null,
      city_required text not null,
      city_flag boolean not null,
      city_passed boolean not null,
      has_remedied boolean not null,
      n bigint not null default 0,
      farmland_units bigint not null default 0,
      basic_units bigint not null default 0,
      general_units bigint not null default 0,
      area_units bigint not null default 0,
      -- a partial rectification's accepted areas (lifecycle.remedied), clipped per patch as core clips them
      deduct_demolished_units bigint not null default 0,
      deduct_permitted_units bigint not null default 0,
      demolished_area_units bigint not null default 0,
      permitted_area_units bigint not null default 0,
      left_area_units bigint not null default 0,
      primary key (${FACT_KEYS})
    )`).execute(db)

  // one delta statement per patches statement: ordered by key so two transactions lock counter rows
  // in the same order (no deadlock)
  const apply = (source: string) => `
      insert into patch_counters as c (${FACT_KEYS}, ${SUMS})
      select ${FACT_KEYS}, ${SUMS.split(', ').map((x) => `sum(${x})`).join(', ')} from (${source}) d
      group by ${FACT_KEYS}
      order by ${FACT_KEYS}
      on conflict (${FACT_KEYS}) do update set
        ${SUMS.split(', ').map((x) => `${x} = c.${x} + excluded.${x}`).join(', ')}`
  const plus = (table: string) => `select ${FACTS_SELECT}, ${VALUES.map((v) => `${v[1]} as ${v[0]}`).join(', ')} from ${table}`
  const minus = (table: string) => `select ${FACTS_SELECT}, ${VALUES.map((v) => `-(${v[1]}) as ${v[0]}`).join(', ')} from ${table}`

  await sql.raw(`
    create table patch_dues (
      patch_id integer not null references patches(id) on delete cascade,
      tenant_id integer not null,
      township_id integer,
      military boolean not null,
      issued_on text not null,
      step text not null,
      due text not null,
      primary key (patch_id, step)
    )`).execute(db)
  await sql`create index patch_dues_tenant_due on patch_dues (tenant_id, due)`.execute(db)
  await sql`create index patch_dues_township_due on patch_dues (tenant_id, township_id, due)`.execute(db)
  const dues = (table: string) => `
      insert into patch_dues (patch_id, tenant_id, township_id, military, issued_on, step, due)
      select p.id, p.tenant_id, p.township_id, p.military, p.issued_on, d.key, d.value
      from ${table} p cross join lateral jsonb_each_text(p.due) d`
  // a patch's dues are rewritten only when what they hold changed
  const CHANGED = ['due', 'township_id', 'military', 'tenant_id', 'issued_on'].map((c) => `o.${c} is distinct from n.${c}`).join(' or ')

  const functions: Array<[string, string]> = [
    ['insert', `${apply(plus('new_rows'))};\n${dues('new_rows')};`],
    ['update', `${apply(`${plus('new_rows')} union all ${minus('old_rows')}`)};
      delete from patch_dues where patch_id in (select o.id from old_rows o join new_rows n on n.id = o.id where ${CHANGED});
      ${dues(`(select n.* from new_rows n join old_rows o on o.id = n.id where ${CHANGED})`)};`],
    ['delete', `${apply(minus('old_rows'))};`],
  ]
  for (const [op, body] of functions) {
    await sql.raw(`create function patch_facts_${op}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`).execute(db)
  }
  await sql.raw(`create trigger patch_facts_insert after insert on patches referencing new table as new_rows for each statement execute function patch_facts_insert()`).execute(db)
  await sql.raw(`create trigger patch_facts_update after update on patches referencing old table as old_rows new table as new_rows for each statement execute function patch_facts_update()`).execute(db)
  await sql.raw(`create trigger patch_facts_delete after delete on patches referencing old table as old_rows for each statement execute function patch_facts_delete()`).execute(db)

  // the figures of the patches already there
  for (const statement of refreshSql()) await sql.raw(statement).execute(db)

  // 待审核: the oldest waiting reports of a tenant, an index range
  await sql`create index patches_review_queue on patches (tenant_id, updated_at) where state in ('reported', 'rectified')`.execute(db)
  // the digest's "new since yesterday", the bulletin's steps finished in a month
  await sql`create index patch_events_imported on patch_events (at, patch_id) where type = 'imported'`.execute(db)
  await sql`create index patches_judged_on on patches (tenant_id, (lifecycle->>'judgedOn'))`.execute(db)
  await sql`create index patches_reported_on on patches (tenant_id, (proposal->>'reportedOn'))`.execute(db)
  await sql`create index patches_rectified_on on patches (tenant_id, (lifecycle->>'rectifiedOn'))`.execute(db)
  await sql`create index documents_tenant_state on documents (tenant_id, state)`.execute(db)

  await sql`
    create table tenant_credentials (
      tenant_id integer not null references tenants(id),
      platform text not null check (platform in ('feishu', 'wecom')),
      app_id text not null,
      secret text not null,
      domain text,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, platform)
    )`.execute(db)
}

/** Counters and dues recomputed from the patches (after a bulk load with the triggers off). */
export function refreshSql(): string[] {
  return [
    `delete from patch_counters`,
    `insert into patch_counters (${FACT_KEYS}, ${SUMS})
      select ${FACT_KEYS}, ${VALUES.map((v) => `sum(${v[1]})`).join(', ')}
      from (select ${FACTS_SELECT}, area_mu, farmland_mu, basic_farmland_mu, lifecycle from patches) p group by ${FACT_KEYS}`,
    `delete from patch_dues`,
    `insert into patch_dues (patch_id, tenant_id, township_id, military, issued_on, step, due)
      select p.id, p.tenant_id, p.township_id, p.military, p.issued_on, d.key, d.value
      from patches p cross join lateral jsonb_each_text(p.due) d`,
  ]
}
