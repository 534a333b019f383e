// nbgrader's times ("2026-12-03 06:15:02.123456 UTC") in the room's local time.
import { PageConfig } from '@jupyterlab/coreutils';

export function zone() {
  return {
    timeZone: PageConfig.getOption('spptikZonaWaktu') || 'Asia/Jakarta',
    label: PageConfig.getOption('spptikLabelZona') || 'WIB'
  };
}

export function parseNbgraderTime(text) {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?\s*(UTC)?$/.exec((text || '').trim());
  if (!match) {
    return null;
  }
  const millis = match[3] ? match[3].slice(0, 4) : '';
  const date = new Date(`${match[1]}T${match[2]}${millis}Z`);
  return isNaN(date.getTime()) ? null : date;
}

export function localTime(text) {
  const date = parseNbgraderTime(text);
  if (!date) {
    return text || '';
  }
  const { timeZone, label } = zone();
  const shown = new Intl.DateTimeFormat('id-ID', {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit'
  }).format(date);
  return `${shown} ${label}`;
}
