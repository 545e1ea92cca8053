/**
 * The "Preview Packing" page script (runs in the webview, bundled to media/dist/preview.js). Builds the page
 * with DOM calls only (no innerHTML), validates every incoming message with the shared zod protocol, and
 * reports what it rendered back to the extension.
 */
import { formatPriceDifference, formatPricePerHour, fromWebviewSchema, toWebviewSchema, type FromWebview, type PreviewModel, type PreviewSide } from '../preview/protocol.js';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();

function post(message: FromWebview): void {
  vscode.postMessage(fromWebviewSchema.parse(message));
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function nodeClaimRowText(nc: PreviewSide['nodeClaims'][number]): string {
  return `${nc.nodePool} · ${nc.instanceType} · ${nc.zone} · ${nc.capacityType} · ${nc.pods.length} pod${nc.pods.length === 1 ? '' : 's'} · ${formatPricePerHour(nc.pricePerHour)}`;
}

function renderSide(title: string, s: PreviewSide, rows: string[]): HTMLElement {
  const section = el('section', undefined, 'side');
  section.append(el('h2', title));
  section.append(el('p', `${s.nodeClaims.length} NodeClaim${s.nodeClaims.length === 1 ? '' : 's'} · total ${formatPricePerHour(s.totalPricePerHour)}`, 'total'));
  const table = el('table');
  const head = el('tr');
  for (const h of ['NodePool', 'Instance type', 'Zone', 'Capacity', 'Pods', '$/h']) head.append(el('th', h));
  table.append(head);
  for (const nc of s.nodeClaims) {
    const tr = el('tr', undefined, 'nodeclaim');
    tr.title = nc.pods.join('\n');
    for (const cell of [nc.nodePool, nc.instanceType, nc.zone, nc.capacityType, String(nc.pods.length), formatPricePerHour(nc.pricePerHour)]) tr.append(el('td', cell));
    table.append(tr);
    rows.push(`${title}: ${nodeClaimRowText(nc)}`);
  }
  section.append(table);
  if (s.unschedulable.length > 0) {
    section.append(el('h3', `${s.unschedulable.length} pod${s.unschedulable.length === 1 ? '' : 's'} left pending`));
    const list = el('ul', undefined, 'pending');
    for (const u of s.unschedulable) {
      const item = el('li');
      item.append(el('strong', u.pod), el('span', ` — ${u.reason}`));
      const pools = el('ul');
      for (const [np, why] of Object.entries(u.nodePools)) pools.append(el('li', `${np}: ${why}`));
      if (pools.childElementCount > 0) item.append(pools);
      list.append(item);
    }
    section.append(list);
  }
  return section;
}

function render(model: PreviewModel): void {
  const root = document.getElementById('root');
  if (!root) return;
  const rows: string[] = [];
  const header = el('header');
  header.append(el('h1', `Packing preview: ${model.editedNames.join(', ')} (${model.document})`));
  header.append(el('p', `${model.podSource} · computed in ${model.elapsedMs} ms`, 'muted'));
  const sides = el('div', undefined, model.asApplied ? 'sides two' : 'sides');
  if (model.asApplied) sides.append(renderSide('As applied in the cluster', model.asApplied, rows));
  sides.append(renderSide(model.asApplied ? 'As edited' : 'As edited (new to the cluster)', model.asEdited, rows));
  const total = formatPricePerHour(model.asEdited.totalPricePerHour);
  if (model.pricePerHourDifference !== undefined) header.append(el('p', `Price difference: ${formatPriceDifference(model.pricePerHourDifference)}`, 'difference'));
  root.replaceChildren(header, sides);
  post({ type: 'rendered', nodeClaimRows: rows, total });
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = toWebviewSchema.safeParse(event.data);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.type === 'render') render(message.model);
  else if (message.type === 'notice') document.getElementById('root')?.replaceChildren(el('p', message.text, 'notice'));
  else post({ type: 'pong', id: message.id });
});

post({ type: 'ready' });
