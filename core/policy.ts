// The policy profile: every number and list the seeds give, in one place.
// Defaults are the 2023 rules of 资源县 (seed 001); a county overrides what differs (e.g. 武隆's
// 15-day judgment, seed 002). Code elsewhere in core/ never hard-codes a number from a seed.
import { AppError } from './errors.js'

/** A period with its unit spelled out: "10日内" and "2个工作日内" are different things. */
export type Period =
  | { days: number; unit: 'calendar' }
  | { days: number; unit: 'workdays' }
  | { months: number; unit: 'months' }

export type PeriodUnit = Period['unit']

/** A deadline rule: the period and the seed sentence it comes from (`seedfile:line`). */
export interface DeadlineRule {
  period: Period
  rule: string
}

export interface Threshold {
  /** 亩; "以上" includes the number itself */
  minMu: number
  /** 0..1; "达到15%" includes 15% */
  minRatio: number
}

/** A fixed date in the year: month 1-12, day 1-31; `nextYear` for the Jan 20 deadlines of last year's work. */
export interface YearDate {
  month: number
  day: number
  nextYear?: boolean
  label: string
  rule: string
}

export type DepartmentTrigger =
  | 'rural_housing'
  | 'urban_planning_area'
  | 'transport_line'
  | 'ecological_red_line'
  | 'river'
  | 'forest_or_reserve'
  | 'crime_or_obstruction'
  | 'utility_cut'

export interface RouteRule {
  when: DepartmentTrigger
  department: string
  rule: string
}

export type RankingKey =
  | 'overdue:asc'
  | 'newViolations:asc'
  | 'rectificationRate:desc'
  | 'ratio:asc'
  | 'illegalFarmlandMu:asc'
  | 'handledOnTime:desc'

export type EscalationLevel = 'township' | 'office' | 'leaders'

export interface Policy {
  /** profile name shown to staff, e.g. 资源县2023 */
  profile: string
  deadlines: {
    /** 核查上报 after issue */
    verification: DeadlineRule & { enabled: boolean }
    /** 合法性判定 after receipt (002); off in 001's profile */
    judgment: DeadlineRule & { enabled: boolean }
    /** 每月20日前上报上月20日（含）前下发的两类土地图斑和所有矿产图斑 */
    monthlyReport: { enabled: boolean; day: number; categories: string[]; allMineral: boolean; rule: string }
    rectification: {
      demolished_restored: DeadlineRule
      permits_completed: DeadlineRule
      case_filed: DeadlineRule
      /** the clock while 集体会审 has chosen no measure: one of the measures' periods */
      unplanned: 'demolished_restored' | 'permits_completed'
    }
    /** 004: new violation → written report in 2 working days; not rectified in 3 → escalate and file a case */
    newViolation: { enabled: boolean; report: DeadlineRule; escalate: DeadlineRule }
    /** township reports its own 通报 / 约谈 / 问责 to the county; 003's 3-day 通报 report is off in 001 */
    bulletinReport: DeadlineRule & { enabled: boolean }
    talkReport: DeadlineRule
    accountabilityReport: DeadlineRule
    /** roll a calendar-day deadline that falls on a holiday to the next working day */
    rollOverHolidays: boolean
  }
  periodic: {
    /** 每月10日前 / 每月20日前 correction of the city's and region's problem lists */
    correctionDays: { day: number; label: string; rule: string }[]
    /** 每月20日前 monthly progress report (003) */
    progressDay: { day: number; rule: string } | null
    quarterlySelfCheck: YearDate[]
    halfYear: YearDate
    annual: YearDate
    /** 军用土地 reported separately by the end of these months */
    militaryReportMonths: { months: number[]; rule: string }
  }
  keyPatch: {
    /** 疑似违法占用耕地 ≥ for 新增非农建设类 / 年度内持续变化类 */
    farmlandMu: number
    /** 永久基本农田 or 生态保护红线 ≥ for the same categories */
    basicFarmlandOrRedLineMu: number
    categories: string[]
    /** 疑似违法开采 ≥ for mineral patches */
    mineralMu: number
    /** 拆除复耕 with 永久基本农田/红线 ≥ or 耕地 ≥ */
    demolitionBasicOrRedLineMu: number
    demolitionFarmlandMu: number
    rule: string
    /** 003's wider field-check list (every 永久基本农田 patch, 耕地≥5亩, 临时用地, 设施农用地, 报拆除, all mineral) */
    wider: { enabled: boolean; farmlandMu: number; otherKinds: string[]; rule: string }
  }
  cityVerification: { basicOrRedLineMu: number; farmlandMu: number; rule: string }
  accountability: { county: Threshold; township: Threshold; rule: string }
  /** a county's own times of day for the scheduled jobs, 'HH:MM' China time; '' keeps the deployment's */
  jobTimes: Record<'digest' | 'rollup' | 'warnings' | 'bulletin' | 'letters' | 'bulletin-reminder', string>
  warningTalk: {
    /** 000's 警示约谈 areas; off in 001's profile */
    enabled: boolean
    basicFarmlandOrReserveMu: number
    generalFarmlandMu: number
    /** the findings the areas apply to (000:41 "弄虚作假、瞒案不报、压案不查等问题严重"), not all unremedied land */
    findings: string[]
    rule: string
  }
  bulletin: {
    /** published on this day of the month, or the last working day before it within the month */
    day: number
    ranking: RankingKey[]
    approvedBy: string
    rule: string
  }
  warnings: {
    /** warn when a step is due in this many working days (3 = "3天内到期", 1 = "明天到期") */
    leadWorkdays: number[]
  }
  escalation: {
    chain: EscalationLevel[]
    /** overdue working days after which the office is told */
    officeAfterOverdueWorkdays: number
    /** overdue working days after which the leaders are told */
    leadersAfterOverdueWorkdays: number
    rule: string
  }
  evidence: {
    /** a photo farther than this from its patch is flagged */
    maxPhotoDistanceM: number
    /** a photo taken more than this many days before the issue date is flagged */
    maxPhotoAgeBeforeIssueDays: number
    /** photos sent within this many minutes after a report attach to that report */
    photoAttachWindowMinutes: number
    /** on-site photos a field result needs before it goes to the office, by judgment kind */
    reportPhotos: { minimum: number; kinds: Array<'illegal' | 'legal' | 'other'>; rule: string }
  }
  letters: {
    /** "near" the 问责 line: both area and ratio at or above this share of the township threshold */
    nearFactor: number
    /** overdue working days that make a 警示提醒函 due */
    warningOverdueWorkdays: number
    /** overdue working days that make a 执法监督建议函 due */
    supervisionOverdueWorkdays: number
    /** the title of who approves a letter; the person is the county's setting (document approvers) */
    approvedBy: string
    issuer: string
    rule: string
  }
  routing: { lead: string; rules: RouteRule[] }

  // --- issue 12 points 10-16 (accountability year, records, approver, hand-over, profile gaps) ---
  /** which patches a year's 问责 figures hold, and until when a year's figures are the ones shown */
  accountabilityYear: {
    /** until this date of the next year the figures shown are still last year's (001:59's Jan 20) */
    closesOn: { month: number; day: number }
    rule: string
  }
  /** 移交 to a department: the department returns its result by this date of the year (001:41 年底前) */
  handover: { returnBy: { month: number; day: number }; rule: string }
  /** the seed this profile is read from, and what that document does not give (filled from 001) */
  source: string
  gaps: string[]
  // ── issue 12 points 5, 6, 8 (evidence checks): kept apart for the merge ──
  evidenceChecks: EvidenceChecks
}

/** What a photo or a position must be before it counts as 举证 (issue 12 point 6), and the county's field check (point 8). */
export interface EvidenceChecks {
  image: {
    /** formats by their header (image-size's names): what phones send */
    formats: string[]
    maxBytes: number
    /** the shorter side: smaller is a thumbnail or an icon, not a site photo */
    minSidePx: number
    maxSidePx: number
    /** longer side / shorter side */
    maxAspect: number
  }
  /** a photo sent while the patch is in 整改 must be taken (EXIF, China time) on or after the judgment */
  rectificationTakenAfterJudgment: { enabled: boolean; rule: string }
  /** a position (photo GPS or a location share) must fall in this box, in degrees (WGS84/CGCS2000) */
  chinaBounds: { minLon: number; maxLon: number; minLat: number; maxLat: number }
  /** 001:35: the 卫片办 organises the key patches' field check, issues its 核查意见 and names its 核查负责人 */
  fieldCheck: { photosRequired: number; rule: string }
}

export const defaultPolicy: Policy = {
  profile: '资源县2023（默认）',
  deadlines: {
    // 001_8c1f6dae78f37652.txt:53 "图斑下发后的10日内……完成图斑核查上报"
    verification: { enabled: true, period: { days: 10, unit: 'calendar' }, rule: '001_8c1f6dae78f37652.txt:53' },
    // 002_ad387473bb9415ab.txt:33 "收到……图斑后……在15日内完成合法性判定" — 武隆 only, so off by default
    judgment: { enabled: false, period: { days: 15, unit: 'calendar' }, rule: '002_ad387473bb9415ab.txt:33' },
    // 001_8c1f6dae78f37652.txt:53 "每月20日前……上报上月20日（含）前下发的“新增非农建设类”“年度内持续变化类”两类土地图斑和所有矿产图斑数据"
    monthlyReport: {
      enabled: true,
      day: 20,
      categories: ['新增非农建设类', '年度内持续变化类'],
      allMineral: true,
      rule: '001_8c1f6dae78f37652.txt:53',
    },
    rectification: {
      // 001_8c1f6dae78f37652.txt:43 "拆除复耕（时间一个月内）"
      demolished_restored: { period: { months: 1, unit: 'months' }, rule: '001_8c1f6dae78f37652.txt:43' },
      // 001_8c1f6dae78f37652.txt:43 "补办用地手续（时间三个月内）"
      permits_completed: { period: { months: 3, unit: 'months' }, rule: '001_8c1f6dae78f37652.txt:43' },
      // policy choice: 001_8c1f6dae78f37652.txt:43 gives each measure its own period and 集体会审
      // (001_8c1f6dae78f37652.txt:37) chooses the measure; until it is chosen the longer period applies,
      // so no patch is called overdue at one month for a measure nobody chose, and the patch says so.
      unplanned: 'permits_completed',
      // policy choice: no seed gives a period for 立案; 004 says a new violation not rectified in 3 working
      // days is filed as a case, so filing is due on that clock (004_cc43135be01a58c0.txt:41).
      case_filed: { period: { days: 3, unit: 'workdays' }, rule: '004_cc43135be01a58c0.txt:41' },
    },
    // 淄川's rule (004), off in 资源县's profile; on in the 淄川 preset
    newViolation: {
      enabled: false,
      // 004_cc43135be01a58c0.txt:41 "对发现新的违法行为，未及时整改的，要在2个工作日内书面报大队"
      report: { period: { days: 2, unit: 'workdays' }, rule: '004_cc43135be01a58c0.txt:41' },
      // 004_cc43135be01a58c0.txt:41 "如未在3个工作日内整改到位，大队报局分管领导，并依法立案查处"
      escalate: { period: { days: 3, unit: 'workdays' }, rule: '004_cc43135be01a58c0.txt:41' },
    },
    // 003_2681e0387a043106.txt:103 "在公开通报3个工作日内上报公开通报的有关情况" — 荥阳 only, off in 001
    bulletinReport: { enabled: false, period: { days: 3, unit: 'workdays' }, rule: '003_2681e0387a043106.txt:103' },
    // 001_8c1f6dae78f37652.txt:103 "在开展约谈后的5个工作日内将警示约谈情况……报县级"
    // policy choice: 001 (the default profile) gives 5 working days; 003 gives 3 (003_2681e0387a043106.txt:105).
    talkReport: { period: { days: 5, unit: 'workdays' }, rule: '001_8c1f6dae78f37652.txt:103' },
    // 001_8c1f6dae78f37652.txt:103 and 003_2681e0387a043106.txt:105 "在启动问责程序后的5个工作日内上报"
    accountabilityReport: { period: { days: 5, unit: 'workdays' }, rule: '001_8c1f6dae78f37652.txt:103' },
    // policy choice: "10日内" of a work plan is an internal deadline, not a statutory period, so a
    // deadline on a holiday is not moved (the township finishes before the holiday).
    rollOverHolidays: false,
  },
  periodic: {
    correctionDays: [
      // 001_8c1f6dae78f37652.txt:53 "每月10日前根据市级审核问题清单完成图斑数据纠正修改上报"
      { day: 10, label: '根据市级审核问题清单完成图斑数据纠正修改上报', rule: '001_8c1f6dae78f37652.txt:53' },
      // 001_8c1f6dae78f37652.txt:53 "每月20日前根据自治区审核问题清单完成图斑数据纠正修改"
      { day: 20, label: '根据自治区审核问题清单完成图斑数据纠正修改上报', rule: '001_8c1f6dae78f37652.txt:53' },
    ],
    // 003_2681e0387a043106.txt:99 "每月20日前……报送卫片检查工作进展情况以及整改工作成效" — 荥阳 only, off in 001
    progressDay: null,
    quarterlySelfCheck: [
      // 001_8c1f6dae78f37652.txt:55 "4月底前完成第一季度……7月20日前……10月20日前……1月20日前"
      { month: 4, day: 30, label: '第一季度图斑填报、自查自检', rule: '001_8c1f6dae78f37652.txt:55' },
      { month: 7, day: 20, label: '第二季度图斑填报、自查自检', rule: '001_8c1f6dae78f37652.txt:55' },
      { month: 10, day: 20, label: '第三季度图斑填报、自查自检', rule: '001_8c1f6dae78f37652.txt:55' },
      { month: 1, day: 20, nextYear: true, label: '第四季度图斑填报、自查自检', rule: '001_8c1f6dae78f37652.txt:55' },
    ],
    // 001_8c1f6dae78f37652.txt:57 "6月25日前……上报半年卫片执法成果和报告"
    halfYear: { month: 6, day: 25, label: '上报半年卫片执法成果和报告', rule: '001_8c1f6dae78f37652.txt:57' },
    // 001_8c1f6dae78f37652.txt:59 "2024年1月20日前……将年度工作报告报市卫片办"
    annual: { month: 1, day: 20, nextYear: true, label: '年度卫片执法工作报告报市卫片办', rule: '001_8c1f6dae78f37652.txt:59' },
    // 001_8c1f6dae78f37652.txt:61 "涉及军用土地的，要求在2023年6月、12月底前以机要件单独上报一次"
    militaryReportMonths: { months: [6, 12], rule: '001_8c1f6dae78f37652.txt:61' },
  },
  keyPatch: {
    // 001_8c1f6dae78f37652.txt:35 "疑似违法占用耕地50亩、永久基本农田或生态保护红线25亩以上的“新增非农建设类”和“年度内持续变化类”图斑"
    farmlandMu: 50,
    basicFarmlandOrRedLineMu: 25,
    categories: ['新增非农建设类', '年度内持续变化类'],
    // 001_8c1f6dae78f37652.txt:35 "疑似违法开采面积达到5亩以上的矿产图斑"
    mineralMu: 5,
    // 001_8c1f6dae78f37652.txt:35 "拆除复耕涉及永久基本农田或生态保护红线5亩以上、耕地25亩以上的图斑"
    demolitionBasicOrRedLineMu: 5,
    demolitionFarmlandMu: 25,
    rule: '001_8c1f6dae78f37652.txt:35',
    // 003_2681e0387a043106.txt:45 "重点对占用永久基本农田、占用耕地面积5亩以上、临时用地、设施农用地、报拆除以及矿产图斑进行实地核查"
    wider: { enabled: false, farmlandMu: 5, otherKinds: ['临时用地', '设施农业用地'], rule: '003_2681e0387a043106.txt:45' },
  },
  // 001_8c1f6dae78f37652.txt:41 "拆除复耕涉及永久基本农田或生态保护红线5亩以上、耕地10亩以上的……须向市卫片办提交申请核验"
  cityVerification: { basicOrRedLineMu: 5, farmlandMu: 10, rule: '001_8c1f6dae78f37652.txt:41' },
  accountability: {
    // 001_8c1f6dae78f37652.txt:79 "县级违法占用耕地面积之和100亩以上，且违法占用耕地面积比例达到15%的"
    county: { minMu: 100, minRatio: 0.15 },
    // 001_8c1f6dae78f37652.txt:79 "各乡（镇）违法占用耕地面积之和5亩以上，且……比例达到15%以上的"
    township: { minMu: 5, minRatio: 0.15 },
    rule: '001_8c1f6dae78f37652.txt:79',
  },
  // policy choice: the seeds give no times of day; a county may move its own jobs (province scale)
  jobTimes: { digest: '', rollup: '', warnings: '', bulletin: '', letters: '', 'bulletin-reminder': '' },
  // 000_7f891be42bc71ff5.txt:41 "违法占用永久基本农田、自然保护地面积5亩以上，或一般耕地10亩以上" — 沂源 only, off in 001
  warningTalk: {
    enabled: false,
    basicFarmlandOrReserveMu: 5,
    generalFarmlandMu: 10,
    // 000_7f891be42bc71ff5.txt:41 "实地验收等工作中发现存在弄虚作假、瞒案不报、压案不查等问题严重（如……）"
    findings: ['弄虚作假', '瞒案不报', '压案不查'],
    rule: '000_7f891be42bc71ff5.txt:41',
  },
  bulletin: {
    // 004_cc43135be01a58c0.txt:47 "每月5号前，将上月巡查和监管情况统计汇总，经局分管负责人同意后……排名通报"
    day: 5,
    // policy choice: the seeds say "排名" (004:47, 001:89) but not by what. Order: fewest overdue steps,
    // fewest new violations, best rectification rate, lowest illegal 耕地 ratio, most handled on time.
    ranking: ['overdue:asc', 'newViolations:asc', 'rectificationRate:desc', 'ratio:asc', 'handledOnTime:desc'],
    // 004_cc43135be01a58c0.txt:47 "涉及有新增地违法用地的，要在通报中明确查处整改时限及要求": each new
    // violation with its own due dates from deadlinesFor (core/bulletin.ts), so the bulletin has no period of its own
    // policy choice: 001 names no approver of its 通报提醒 (001_8c1f6dae78f37652.txt:89, the office's own);
    // the office's director (001_8c1f6dae78f37652.txt:161 办公室主任) approves. 004's 局分管负责人 is the 淄川 preset's.
    approvedBy: '县卫片办主任',
    rule: '004_cc43135be01a58c0.txt:47',
  },
  warnings: {
    // policy choice: no seed gives lead times; 3 working days matches the shortest seed period (004:41)
    leadWorkdays: [3, 1],
  },
  escalation: {
    chain: ['township', 'office', 'leaders'],
    // policy choice: no seed says when the office hears of an overdue step; the first overdue working day
    officeAfterOverdueWorkdays: 1,
    // policy choice, after 004_cc43135be01a58c0.txt:41: "未在3个工作日内整改到位，大队报局分管领导"
    leadersAfterOverdueWorkdays: 3,
    rule: '004_cc43135be01a58c0.txt:41',
  },
  evidence: {
    // policy choice: 真实性 is the lifeline (001_8c1f6dae78f37652.txt:27); a field photo must be taken at
    // the patch (500 m covers GPS error and large patches) and not long before the patch was issued.
    maxPhotoDistanceM: 500,
    maxPhotoAgeBeforeIssueDays: 30,
    photoAttachWindowMinutes: 30,
    // 001_8c1f6dae78f37652.txt:45 every patch's dossier holds its 现场照片 (一图斑一卷宗), and
    // 002_ad387473bb9415ab.txt:33 asks 现场照片 for 合法 patches too; 000_7f891be42bc71ff5.txt:33 names
    // 以设施农用地、临时用地……瞒报 — policy choice: every field result (违法, 合法, 其他用地 incl. 实地未变化)
    // needs at least one on-site photo, not only 违法.
    reportPhotos: { minimum: 1, kinds: ['illegal', 'legal', 'other'], rule: '001_8c1f6dae78f37652.txt:45' },
  },
  letters: {
    // policy choice: "near" = at least 80% of both the township area and ratio lines of 001:79
    nearFactor: 0.8,
    // policy choice: no seed gives it; 3 working days overdue, the shortest seed period (004:41)
    warningOverdueWorkdays: 3,
    // 001_8c1f6dae78f37652.txt:91 "通报提醒指出的问题超过规定时限" → the stronger letter;
    // policy choice: 10 working days (two working weeks) overdue, no seed gives a number
    supervisionOverdueWorkdays: 10,
    // 001_8c1f6dae78f37652.txt:51 the letters are the 县卫片办's; its director (001_8c1f6dae78f37652.txt:161) approves
    approvedBy: '县卫片办主任',
    // 001_8c1f6dae78f37652.txt:161 "领导小组下设办公室"; {county} is replaced by the county's name
    issuer: '{county}土地矿产卫片执法监督检查工作领导小组办公室',
    // 001_8c1f6dae78f37652.txt:51 "适时向乡（镇）和有关单位发警示提醒函或自然资源执法监督建议函"
    rule: '001_8c1f6dae78f37652.txt:51',
  },
  routing: {
    // 001_8c1f6dae78f37652.txt:41 "县自然资源局要认真履行牵头职责……依法立案查处"
    lead: '县自然资源局',
    rules: [
      // 002_ad387473bb9415ab.txt:46 农业农村委: 农村村民非法占地修建住宅
      { when: 'rural_housing', department: '县农业农村局', rule: '002_ad387473bb9415ab.txt:46' },
      // 002_ad387473bb9415ab.txt:48 城市管理局: 城镇规划建设用地范围内; policy choice: 资源县 has no
      // 城市管理局 in its leading group (001:116-159), 县住建局 (001:131) takes that role
      { when: 'urban_planning_area', department: '县住建局', rule: '002_ad387473bb9415ab.txt:48' },
      // 002_ad387473bb9415ab.txt:50 交通局: 交通沿线管理范围内
      { when: 'transport_line', department: '县交通运输局', rule: '002_ad387473bb9415ab.txt:50' },
      // 002_ad387473bb9415ab.txt:52 生态环境局: 生态红线范围内
      { when: 'ecological_red_line', department: '资源生态环境局', rule: '002_ad387473bb9415ab.txt:52' },
      // 002_ad387473bb9415ab.txt:54 水利局: 河道管理范围内
      { when: 'river', department: '县水利局', rule: '002_ad387473bb9415ab.txt:54' },
      // 002_ad387473bb9415ab.txt:56 林业局: 自然保护地及林地
      { when: 'forest_or_reserve', department: '县林业局', rule: '002_ad387473bb9415ab.txt:56' },
      // 002_ad387473bb9415ab.txt:58 公安局: 拆除中的矛盾纠纷、阻碍执法、涉嫌犯罪
      { when: 'crime_or_obstruction', department: '县公安局', rule: '002_ad387473bb9415ab.txt:58' },
      // 002_ad387473bb9415ab.txt:60 经济信息委: 对违法图斑断供; policy choice: 资源县 has no 经济信息委 in 001,
      // 县发改局 (001:125) is the nearest county body
      { when: 'utility_cut', department: '县发改局', rule: '002_ad387473bb9415ab.txt:60' },
    ],
  },

  // --- issue 12 points 10-16 ---
  accountabilityYear: {
    // 001_8c1f6dae78f37652.txt:79 "一个年度内": the patches issued in the year; policy choice: until
    // 001_8c1f6dae78f37652.txt:59's "次年1月20日前" (the year's work finished and reported) the figures
    // shown are still last year's, so a January digest does not start the year at zero
    closesOn: { month: 1, day: 20 },
    rule: '001_8c1f6dae78f37652.txt:79',
  },
  // 001_8c1f6dae78f37652.txt:41 "在年底前将所有移交图斑处置结果报县卫片办": by 31 December of the hand-over's year
  handover: { returnBy: { month: 12, day: 31 }, rule: '001_8c1f6dae78f37652.txt:41' },
  source: '001_8c1f6dae78f37652.txt',
  gaps: [
    '城镇规划区、断供的移交部门：001 只列农业农村、水利、林业、生态环境（001:41），按 002 的分工由县住建局、县发改局承担（policy choice）',
    '逾期提醒提前天数、报卫片办与报领导的逾期天数、函件的逾期天数：001 未给出（policy choice）',
  ],
  // ── issue 12 points 5, 6, 8 (evidence checks) ──
  evidenceChecks: {
    // policy choice: 001_8c1f6dae78f37652.txt:45 keeps 现场照片 in the dossier; a photo is a JPEG, PNG or
    // HEIC (iPhone) image, at most 30 MB, its shorter side at least 240 px (a thumbnail or a sticker is
    // smaller), no side over 20000 px, not longer than 10:1 (a panorama is about 4:1)
    image: { formats: ['jpg', 'png', 'heif'], maxBytes: 30 * 1024 * 1024, minSidePx: 240, maxSidePx: 20000, maxAspect: 10 },
    // 001_8c1f6dae78f37652.txt:73 "已拆除复耕到位" is shown by a photo taken after the judgment, not one
    // received after it (000_7f891be42bc71ff5.txt:33 虚报拆除); policy choice: the camera's EXIF time, read as
    // China time when it carries no zone, compared with the judgment's instant
    rectificationTakenAfterJudgment: { enabled: true, rule: '001_8c1f6dae78f37652.txt:73' },
    // policy choice: China's extreme points (73°33′E–135°05′E, 3°51′N–53°33′N), rounded outwards: a position
    // outside is a wrong fix, swapped or zeroed coordinates, never a site; nearness to the patch is checked apart
    chinaBounds: { minLon: 73.4, maxLon: 135.1, minLat: 3.8, maxLat: 53.6 },
    // 001_8c1f6dae78f37652.txt:35 "逐一组织实地核查，出具核查意见，并明确核查负责人"; policy choice: the
    // record needs at least one counted on-site photo of the patch (001_8c1f6dae78f37652.txt:45 现场照片)
    fieldCheck: { photosRequired: 1, rule: '001_8c1f6dae78f37652.txt:35' },
  },
}

// ---------------------------------------------------------------------------------------------
// Overrides

/** Deep-partial: a county gives only what differs. Arrays replace, they are not merged. */
export type PolicyOverrides = DeepPartial<Policy>
type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T

export class PolicyError extends AppError<'invalid-policy'> {
  constructor(readonly problems: string[]) {
    super('invalid-policy', `政策参数有误：${problems.join('；')}`)
  }
}

/** A county's profile: defaults deep-merged with its overrides, then validated (throws PolicyError). */
export function resolvePolicy(overrides: PolicyOverrides = {}, base: Policy = defaultPolicy): Policy {
  const merged = merge(base, overrides, 'policy') as Policy
  const problems = validatePolicy(merged)
  if (problems.length > 0) throw new PolicyError(problems)
  return merged
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function merge(base: unknown, over: unknown, path: string): unknown {
  if (over === undefined) return clone(base)
  if (isPlainObject(base)) {
    if (!isPlainObject(over)) throw new PolicyError([`${path} 应为对象`])
    // a Period switches shape with its unit ({days} vs {months}): replace it whole
    if ('unit' in over) return clone(over)
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(base)) out[key] = merge(base[key], over[key], `${path}.${key}`)
    for (const key of Object.keys(over)) {
      if (!(key in base)) throw new PolicyError([`未知的政策参数 ${path}.${key}`])
    }
    return out
  }
  return clone(over)
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T)
}

const isPositive = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n > 0
const isNonNegative = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0
const isRatio = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n > 0 && n <= 1

function checkPeriod(p: Period, where: string, problems: string[]): void {
  if (!p || typeof p !== 'object') {
    problems.push(`${where} 缺少期限`)
    return
  }
  if (p.unit === 'months') {
    if (!Number.isInteger(p.months) || p.months <= 0) problems.push(`${where} 月数应为正整数（现为 ${String(p.months)}）`)
  } else if (p.unit === 'calendar' || p.unit === 'workdays') {
    if (!Number.isInteger(p.days) || p.days <= 0) problems.push(`${where} 天数应为正整数（现为 ${String(p.days)}）`)
  } else {
    problems.push(`${where} 期限单位应为 calendar、workdays 或 months`)
  }
}

function checkRule(rule: unknown, where: string, problems: string[]): void {
  if (typeof rule !== 'string' || !/^\S+\.txt:\d+$/.test(rule)) problems.push(`${where} 应注明依据（文件:行号）`)
}

function checkDay(day: unknown, where: string, problems: string[]): void {
  if (!Number.isInteger(day) || (day as number) < 1 || (day as number) > 28) {
    problems.push(`${where} 日期应为1至28之间的整数（现为 ${String(day)}）`)
  }
}

function checkYearDate(d: YearDate, where: string, problems: string[]): void {
  // 29 February does not exist every year: a yearly date must
  const max = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][d.month - 1]
  if (!Number.isInteger(d.month) || max === undefined || !Number.isInteger(d.day) || d.day < 1 || d.day > max) {
    problems.push(`${where} 不是有效的月日（${String(d.month)}月${String(d.day)}日）`)
  }
}

/** Every problem found, in Chinese; empty when the profile is usable. */
export function validatePolicy(p: Policy): string[] {
  const problems: string[] = []
  for (const [job, time] of Object.entries(p.jobTimes)) {
    if (time !== '' && !/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(time)) problems.push(`定时任务 ${job} 的时间应为 HH:MM（如 07:30），现为 ${time}`)
  }
  const d = p.deadlines
  checkPeriod(d.verification.period, '核查上报期限', problems)
  checkRule(d.verification.rule, '核查上报期限', problems)
  checkPeriod(d.judgment.period, '合法性判定期限', problems)
  checkPeriod(d.rectification.demolished_restored.period, '拆除复耕期限', problems)
  checkPeriod(d.rectification.permits_completed.period, '补办手续期限', problems)
  checkPeriod(d.rectification.case_filed.period, '立案期限', problems)
  checkPeriod(d.newViolation.report.period, '新增违法报告期限', problems)
  checkPeriod(d.newViolation.escalate.period, '新增违法整改期限', problems)
  checkPeriod(d.bulletinReport.period, '通报情况上报期限', problems)
  checkPeriod(d.talkReport.period, '约谈情况上报期限', problems)
  checkPeriod(d.accountabilityReport.period, '问责情况上报期限', problems)
  checkDay(d.monthlyReport.day, '每月上报日', problems)
  for (const c of p.periodic.correctionDays) checkDay(c.day, '每月纠正日', problems)
  if (p.periodic.progressDay) checkDay(p.periodic.progressDay.day, '每月进展报送日', problems)
  for (const q of p.periodic.quarterlySelfCheck) checkYearDate(q, '季度自查日期', problems)
  checkYearDate(p.periodic.halfYear, '半年小结日期', problems)
  checkYearDate(p.periodic.annual, '年度评估日期', problems)
  for (const m of p.periodic.militaryReportMonths.months) {
    if (!Number.isInteger(m) || m < 1 || m > 12) problems.push(`军用土地上报月份应为1至12（现为 ${String(m)}）`)
  }
  const k = p.keyPatch
  for (const [name, v] of [
    ['重点图斑耕地面积', k.farmlandMu],
    ['重点图斑永久基本农田/红线面积', k.basicFarmlandOrRedLineMu],
    ['重点矿产图斑面积', k.mineralMu],
    ['拆除复耕重点图斑永久基本农田/红线面积', k.demolitionBasicOrRedLineMu],
    ['拆除复耕重点图斑耕地面积', k.demolitionFarmlandMu],
    ['实地核查耕地面积（003）', k.wider.farmlandMu],
    ['市级核验永久基本农田/红线面积', p.cityVerification.basicOrRedLineMu],
    ['市级核验耕地面积', p.cityVerification.farmlandMu],
    ['警示约谈永久基本农田/自然保护地面积', p.warningTalk.basicFarmlandOrReserveMu],
    ['警示约谈一般耕地面积', p.warningTalk.generalFarmlandMu],
  ] as const) {
    if (!isPositive(v)) problems.push(`${name}应为正数（现为 ${String(v)}）`)
  }
  for (const [name, t] of [
    ['县级问责', p.accountability.county],
    ['乡镇问责', p.accountability.township],
  ] as const) {
    if (!isNonNegative(t.minMu)) problems.push(`${name}面积应为非负数（现为 ${String(t.minMu)}）`)
    if (!isRatio(t.minRatio)) problems.push(`${name}比例应在0与1之间，例如15%写作0.15（现为 ${String(t.minRatio)}）`)
  }
  checkDay(p.bulletin.day, '通报日', problems)
  if (p.bulletin.ranking.length === 0) problems.push('通报排名规则不能为空')
  if (p.warnings.leadWorkdays.some((n) => !Number.isInteger(n) || n < 1)) problems.push('提前提醒的工作日数应为正整数')
  const e = p.escalation
  if (!Number.isInteger(e.officeAfterOverdueWorkdays) || e.officeAfterOverdueWorkdays < 0) problems.push('报卫片办的逾期工作日数应为非负整数')
  if (!Number.isInteger(e.leadersAfterOverdueWorkdays) || e.leadersAfterOverdueWorkdays < e.officeAfterOverdueWorkdays) {
    problems.push('报领导的逾期工作日数应为整数，且不少于报卫片办的天数')
  }
  if (e.chain.length === 0 || e.chain[0] !== 'township') problems.push('升级顺序应从乡镇开始')
  if (!isPositive(p.evidence.maxPhotoDistanceM)) problems.push('照片与图斑的最大距离应为正数（米）')
  if (!isNonNegative(p.evidence.maxPhotoAgeBeforeIssueDays)) problems.push('照片早于下发日期的天数应为非负数')
  if (!isPositive(p.evidence.photoAttachWindowMinutes)) problems.push('照片归并时间窗应为正数（分钟）')
  if (!Number.isInteger(p.evidence.reportPhotos.minimum) || p.evidence.reportPhotos.minimum < 0) problems.push('核查上报所需现场照片数应为非负整数')
  checkRule(p.evidence.reportPhotos.rule, '核查上报所需现场照片', problems)
  if (!isRatio(p.letters.nearFactor)) problems.push('“接近问责线”系数应在0与1之间')
  if (p.letters.supervisionOverdueWorkdays < p.letters.warningOverdueWorkdays) {
    problems.push('执法监督建议函的逾期天数不应少于警示提醒函')
  }
  validateRecordsAndYear(p, problems)
  validateEvidenceChecks(p.evidenceChecks, problems)
  return problems
}

// issue 12 points 10-16: the accountability year, the hand-over return date, the approvers
function validateRecordsAndYear(p: Policy, problems: string[]): void {
  checkYearDate({ ...p.accountabilityYear.closesOn, label: '', rule: '' }, '问责年度截止日期', problems)
  checkYearDate({ ...p.handover.returnBy, label: '', rule: '' }, '移交处置结果反馈日期', problems)
  checkRule(p.accountabilityYear.rule, '问责年度', problems)
  checkRule(p.handover.rule, '移交处置结果反馈', problems)
  if (!p.bulletin.approvedBy.trim()) problems.push('通报审批人职务不能为空')
  if (!p.letters.approvedBy.trim()) problems.push('函件审批人职务不能为空')
  if (p.warningTalk.enabled && p.warningTalk.findings.length === 0) problems.push('警示约谈须列明适用的问题（如弄虚作假、瞒案不报）')
}

function validateEvidenceChecks(c: EvidenceChecks, problems: string[]): void {
  const i = c.image
  if (!Array.isArray(i.formats) || i.formats.length === 0) problems.push('照片格式列表不能为空')
  for (const [name, v] of [['照片最大字节数', i.maxBytes], ['照片短边最小像素', i.minSidePx], ['照片边长最大像素', i.maxSidePx], ['照片最大长宽比', i.maxAspect]] as const) {
    if (!isPositive(v)) problems.push(`${name}应为正数（现为 ${String(v)}）`)
  }
  if (i.maxSidePx < i.minSidePx) problems.push('照片边长最大像素不应小于短边最小像素')
  const b = c.chinaBounds
  if (!(b.minLon < b.maxLon && b.minLat < b.maxLat && b.minLon >= -180 && b.maxLon <= 180 && b.minLat >= -90 && b.maxLat <= 90)) {
    problems.push('境内经纬度范围无效（应为 最小经度<最大经度、最小纬度<最大纬度）')
  }
  if (!Number.isInteger(c.fieldCheck.photosRequired) || c.fieldCheck.photosRequired < 0) problems.push('实地核查记录所需现场照片数应为非负整数')
  checkRule(c.fieldCheck.rule, '实地核查记录', problems)
  checkRule(c.rectificationTakenAfterJudgment.rule, '整改照片拍摄时间', problems)
}

// ---------------------------------------------------------------------------------------------
// Presets for the seed counties, as overrides of the default (资源县, 001). Each turns on its own
// document's rules and names its own offices; `gaps` lists what its document does not give (those
// parts are 资源县's, 001).

/** 沂源县 2019 (000): the 警示约谈 areas on 弄虚作假/瞒案不报 findings (000:41), its offices and dates. */
export const yiyuanOverrides: PolicyOverrides = {
  profile: '沂源县2019',
  source: '000_7f891be42bc71ff5.txt',
  warningTalk: { enabled: true },
  periodic: {
    // 000_7f891be42bc71ff5.txt:65 "7月10日、10月10日前……报送2019年第一、二、三季度卫片执法图斑核实结果"
    quarterlySelfCheck: [
      { month: 7, day: 10, label: '报送第一、二季度卫片执法图斑核实结果', rule: '000_7f891be42bc71ff5.txt:65' },
      { month: 10, day: 10, label: '报送第三季度卫片执法图斑核实结果', rule: '000_7f891be42bc71ff5.txt:65' },
    ],
    // 000_7f891be42bc71ff5.txt:67 "12月31日前，完成……查处整改工作，同时……报送工作成果和报告"
    annual: { month: 12, day: 31, label: '季度卫片执法查处整改成果和报告报市卫片办', rule: '000_7f891be42bc71ff5.txt:67' },
    // 000_7f891be42bc71ff5.txt:59 "6月10日前，县……领导小组完成验收评估……向县政府上报情况"
    halfYear: { month: 6, day: 10, label: '完成年度卫片执法验收评估并报县政府', rule: '000_7f891be42bc71ff5.txt:59' },
  },
  letters: {
    // 000_7f891be42bc71ff5.txt:59 "县土地矿产卫片执法监督检查工作领导小组"
    issuer: '{county}土地矿产卫片执法监督检查工作领导小组办公室',
  },
  routing: {
    // 000_7f891be42bc71ff5.txt:29 "县自然资源主管部门……依法依规查处自然资源违法案件"
    lead: '县自然资源局',
    rules: [
      // 000_7f891be42bc71ff5.txt:29 names 公安、住房城乡建设、综合行政执法 among the departments; the
      // zones of 002 decide which (policy choice)
      { when: 'urban_planning_area', department: '县住房城乡建设局', rule: '000_7f891be42bc71ff5.txt:29' },
      { when: 'rural_housing', department: '县综合行政执法局', rule: '000_7f891be42bc71ff5.txt:29' },
      { when: 'crime_or_obstruction', department: '县公安局', rule: '000_7f891be42bc71ff5.txt:29' },
    ],
  },
  gaps: [
    '核查上报期限、整改期限、月度纠正日、问责比例：000 未给出，沿用资源县（001）',
    '河道、交通、林地、生态红线的移交部门：000 只说“移交移送并做好记录”（000:39），未列部门',
    '月报（000:73）未给出日期',
  ],
}

/** 资源县 2023 (001): the default itself. */
export const ziyuanOverrides: PolicyOverrides = {}

/** 武隆区 2021 (002): 15-day legality judgment after receipt, the 区's offices and department names. */
export const wulongOverrides: PolicyOverrides = {
  profile: '武隆区2021',
  source: '002_ad387473bb9415ab.txt',
  deadlines: { judgment: { enabled: true } },
  periodic: {
    // 002_ad387473bb9415ab.txt:36 "2021年12月31日前……形成书面工作总结，报告区政府和市规划自然资源局"
    annual: { month: 12, day: 31, label: '年度卫片执法成果和查处整改情况书面总结报区政府和市规划自然资源局', rule: '002_ad387473bb9415ab.txt:36' },
  },
  letters: {
    // 002_ad387473bb9415ab.txt:41 "领导小组下设办公室于区规划自然资源局"
    issuer: '{county}土地矿产卫片执法工作领导小组办公室',
  },
  routing: {
    // 002_ad387473bb9415ab.txt:33 "由区规划自然资源局牵头"
    lead: '区规划自然资源局',
    rules: [
      { when: 'rural_housing', department: '区农业农村委', rule: '002_ad387473bb9415ab.txt:46' },
      { when: 'urban_planning_area', department: '区城市管理局', rule: '002_ad387473bb9415ab.txt:48' },
      { when: 'transport_line', department: '区交通局', rule: '002_ad387473bb9415ab.txt:50' },
      { when: 'ecological_red_line', department: '区生态环境局', rule: '002_ad387473bb9415ab.txt:52' },
      { when: 'river', department: '区水利局', rule: '002_ad387473bb9415ab.txt:54' },
      { when: 'forest_or_reserve', department: '区林业局', rule: '002_ad387473bb9415ab.txt:56' },
      { when: 'crime_or_obstruction', department: '区公安局', rule: '002_ad387473bb9415ab.txt:58' },
      { when: 'utility_cut', department: '区经济信息委', rule: '002_ad387473bb9415ab.txt:60' },
    ],
  },
  gaps: [
    '核查上报期限（10日）、整改期限、月度纠正日、季度与半年日期、问责比例：002 只说“月清、季核、年度评估”（002:29），未给日期，沿用资源县（001）',
  ],
}

/** 荥阳市 2018 (003): wider field-check list, monthly progress by the 20th, 通报/约谈 reported in 3 working days. */
export const xingyangOverrides: PolicyOverrides = {
  profile: '荥阳市2018',
  source: '003_2681e0387a043106.txt',
  deadlines: {
    bulletinReport: { enabled: true },
    // 003_2681e0387a043106.txt:105 "在开展约谈后的3个工作日内上报约谈情况"
    talkReport: { period: { days: 3, unit: 'workdays' }, rule: '003_2681e0387a043106.txt:105' },
    // 003_2681e0387a043106.txt:105 "在启动问责程序后的5个工作日内上报启动问责情况"
    accountabilityReport: { period: { days: 5, unit: 'workdays' }, rule: '003_2681e0387a043106.txt:105' },
  },
  periodic: {
    progressDay: { day: 20, rule: '003_2681e0387a043106.txt:99' },
    // 003_2681e0387a043106.txt:55 "2018年6月10日前，各乡镇、街道向市政府上报自查整改结果"
    annual: { month: 6, day: 10, label: '各乡镇、街道向市政府上报自查整改结果', rule: '003_2681e0387a043106.txt:55' },
  },
  keyPatch: { wider: { enabled: true } },
  letters: {
    // 003_2681e0387a043106.txt:61 "市国土资源局……对全市卫片检查的数据和出具验收意见的真实性、准确性负责"
    issuer: '{county}国土资源局',
  },
  routing: {
    // 003_2681e0387a043106.txt:75 "报国土资源局依法依规进行查处"
    lead: '市国土资源局',
    rules: [
      // 003_2681e0387a043106.txt:77 "对涉嫌犯罪的，坚决并及时移送公安、检察机关"
      { when: 'crime_or_obstruction', department: '市公安局', rule: '003_2681e0387a043106.txt:77' },
    ],
  },
  gaps: [
    '核查上报期限、整改期限、月度纠正日、季度日期：003 未给出，沿用资源县（001）',
    '农业农村、水利、林业等部门的移交分工：003 未列出',
  ],
}

/** 淄川区 2022 (004): new violations reported in 2 working days and filed after 3, the 局分管负责人's bulletin. */
export const zichuanOverrides: PolicyOverrides = {
  profile: '淄川区2022',
  source: '004_cc43135be01a58c0.txt',
  deadlines: { newViolation: { enabled: true } },
  bulletin: {
    // 004_cc43135be01a58c0.txt:47 "经局分管负责人同意后……排名通报"
    approvedBy: '局分管负责人',
  },
  letters: {
    // 004_cc43135be01a58c0.txt:47 "执法监察大队……对各自然资源所负责的区域进行排名通报"
    issuer: '{county}自然资源局执法监察大队',
    approvedBy: '局分管负责人',
  },
  routing: {
    // 004_cc43135be01a58c0.txt:19 "执法监察大队……负责违法案件移交移送"
    lead: '区自然资源局执法监察大队',
    rules: [
      // 004_cc43135be01a58c0.txt:35 "与区综合行政执法局、区农业农村局等相关部门建立联合联动机制"
      { when: 'rural_housing', department: '区农业农村局', rule: '004_cc43135be01a58c0.txt:35' },
      { when: 'urban_planning_area', department: '区综合行政执法局', rule: '004_cc43135be01a58c0.txt:35' },
    ],
  },
  gaps: [
    '核查上报期限、整改期限、月度纠正日、季度与年度日期、问责比例：004 是执法监察工作意见，未给出，沿用资源县（001）',
    '河道、交通、林地、生态红线的移交部门：004 未列出',
  ],
}

/** The preset of each seed county, by its seed number. */
export const PRESETS: Record<'000' | '001' | '002' | '003' | '004', PolicyOverrides> = {
  '000': yiyuanOverrides,
  '001': ziyuanOverrides,
  '002': wulongOverrides,
  '003': xingyangOverrides,
  '004': zichuanOverrides,
}
