// Cases: clips kept as evidence, each with its signed package to download.
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { fmtInZone } from '../zone.js';
import { getJson } from '../shell.js';
import { $, loaded } from './choice.js';

export function downloadLink(caseId) {
  const a = el('a', 'download', t('downloadPackage'));
  a.href = `/api/cases/${caseId}/package.zip`;
  a.download = '';
  return a;
}

function row(c) {
  const tr = el('tr', 'case');
  tr.dataset.case = c.caseId;
  // Times in the case's own hall's zone.
  const zone = loaded.sites.zone(c.siteId) ?? loaded.zone;
  const link = el('td');
  link.append(downloadLink(c.caseId));
  tr.append(el('td', 'time', fmtInZone(c.keptAt, zone)), el('td', null, loaded.sites.name(c.siteId)), el('td', null, c.cameraId),
    el('td', 'time', `${fmtInZone(c.from, zone)} – ${fmtInZone(c.to, zone).slice(-8)}`), el('td', null, c.reason), el('td', null, c.keptBy), link);
  return tr;
}

export async function loadCases() {
  const cases = await getJson('/api/cases');
  $('cases').replaceChildren(...(cases.length ? cases.map(row) : [el('tr', null, t('noCases'))]));
}
