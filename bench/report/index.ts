/** Reports of a results file and of a comparison: Markdown, JUnit XML and a self-contained HTML page. */
export { benchMarkdown, compareMarkdown, escapeMarkdown, knownFpLines, MD_MAX_CHARS } from './markdown.js';
export { compareText, escapeTerminal } from './text.js';
export type { CompareMarkdownOptions } from './markdown.js';
export { benchJUnit, compareJUnit, escapeXml } from './junit.js';
export { benchHtml } from './html.js';
export { escapeHtml, renderChart } from '../../charts/svg.js';
export { buildReview } from './review.js';
export type { FalseAlarmGroup, IncidentTimeline, Review, TimelineEntry } from './review.js';
export { reportBudgets, separatingBudgets } from './budgets.js';
