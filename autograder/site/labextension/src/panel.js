// The participant's "Tugas" panel: nbgrader's assignment list, in Indonesian.
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import * as api from './api';
import { localTime } from './waktu';

const REFRESH_MS = 20000; // a score or feedback delivered by the site shows within this

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text; // never innerHTML: everything shown is text
  }
  return node;
}

function button(label, onClick, primary = false) {
  const node = el('button', `spptik-Tugas-button${primary ? ' spptik-mod-utama' : ''}`, label);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

// The last line of a Python traceback, without terminal colours: what went wrong.
export function lastLine(text) {
  if (typeof text !== 'string') {
    return '';
  }
  const clean = text.replace(/\u001b\[[0-9;]*m/g, '').trim();
  const lines = clean.split('\n').map(l => l.trim()).filter(Boolean);
  return lines.length ? lines[lines.length - 1] : '';
}

// nbgrader's list (released and submitted entries) → one record per assignment
export function mergeAssignments(value) {
  const byId = new Map();
  for (const item of value || []) {
    const key = `${item.course_id}/${item.assignment_id}`;
    const record = byId.get(key) || {
      courseId: item.course_id,
      id: item.assignment_id,
      released: false,
      fetched: null,
      submissions: []
    };
    if (item.status === 'released') {
      record.released = true;
    } else if (item.status === 'fetched') {
      record.released = true;
      record.fetched = item;
    } else if (item.status === 'submitted') {
      record.submissions = item.submissions || [];
    }
    byId.set(key, record);
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function notebookFolder(record) {
  return record.fetched ? record.fetched.path : record.id;
}

export class TugasPanel extends Widget {
  constructor(options) {
    super();
    this.app = options.app;
    this.docManager = options.docManager;
    this.fileBrowser = options.fileBrowser;
    this.id = 'spptik-tugas';
    this.addClass('spptik-Tugas');
    this.title.caption = 'Tugas: ambil, periksa, kirim';
    this._busy = new Map(); // assignment id → what is being done
    this._records = [];
    this._message = null;
    this._timer = null;

    const header = el('div', 'spptik-Tugas-header');
    header.appendChild(el('h2', 'spptik-Tugas-title', 'Tugas'));
    header.appendChild(button('Segarkan', () => this.refresh()));
    this.node.appendChild(header);
    this.node.appendChild(el('p', 'spptik-Tugas-help',
      'Ambil tugas yang sudah dibagikan, kerjakan, periksa, lalu kirim. ' +
      'Anda boleh mengirim ulang; kiriman terakhir yang dinilai.'));
    this._status = el('p', 'spptik-Tugas-status');
    this.node.appendChild(this._status);
    this._list = el('div', 'spptik-Tugas-list');
    this.node.appendChild(this._list);
  }

  onAfterShow() {
    this.refresh();
    if (!this._timer) {
      this._timer = window.setInterval(() => {
        if (this.isVisible && this._busy.size === 0) {
          this.refresh();
        }
      }, REFRESH_MS);
    }
  }

  onAfterHide() {
    if (this._timer) {
      window.clearInterval(this._timer);
      this._timer = null;
    }
  }

  dispose() {
    this.onAfterHide();
    super.dispose();
  }

  async refresh() {
    try {
      const courses = await api.courses();
      if (!courses.success) {
        this._show([], 'Daftar tugas belum dapat dibaca. Tanyakan kepada fasilitator.', lastLine(courses.value));
        return;
      }
      let all = [];
      for (const course of courses.value) {
        const listed = await api.assignments(course);
        if (!listed.success) {
          this._show([], 'Daftar tugas belum dapat dibaca. Tanyakan kepada fasilitator.', lastLine(listed.value));
          return;
        }
        all = all.concat(listed.value);
      }
      const records = mergeAssignments(all);
      const results = await api.readResults();
      for (const record of records) {
        record.result = record.submissions.length ? results.get(record.id) || null : null;
      }
      this._show(records, records.length ? '' : 'Belum ada tugas yang dibagikan. Tekan Segarkan nanti.');
    } catch (error) {
      this._show(this._records, 'Server JupyterLab Anda tidak menjawab. Coba Segarkan sebentar lagi.', String(error));
    }
  }

  _show(records, status, detail) {
    this._records = records;
    this._status.textContent = status || '';
    this._status.title = detail || '';
    this._status.hidden = !status;
    // redrawn only when something changed: a button is never replaced under the pointer
    const shown = JSON.stringify([records, [...this._busy]]);
    if (shown !== this._shown) {
      this._shown = shown;
      this._list.replaceChildren(...records.map(r => this._item(r)));
    }
  }

  _item(record) {
    const item = el('section', 'spptik-Tugas-item');
    item.dataset.tugas = record.id;
    item.appendChild(el('h3', 'spptik-Tugas-name', record.id));
    const facts = el('dl', 'spptik-Tugas-facts');
    const fact = (label, value, cls) => {
      facts.appendChild(el('dt', '', label));
      facts.appendChild(el('dd', cls || '', value));
    };
    const last = record.submissions[record.submissions.length - 1];
    if (!record.fetched && !last) {
      fact('Status', 'Belum diambil');
    } else if (!last) {
      fact('Status', `Sudah diambil, di folder ${notebookFolder(record)}/`);
    } else {
      fact('Status', `Terkirim ${record.submissions.length}×`);
      fact('Kiriman terakhir', localTime(last.timestamp), 'spptik-Tugas-time');
      fact('Nilai', scoreText(record.result), 'spptik-Tugas-score');
      if (record.result && record.result.label) {
        fact('Penilaian', record.result.pesan ? `${record.result.label}. ${record.result.pesan}`
          : record.result.label, 'spptik-Tugas-state');
      }
      fact('Umpan balik', last.has_local_feedback || last.has_exchange_feedback ? 'tersedia' : 'belum ada');
    }
    item.appendChild(facts);

    const busy = this._busy.get(record.id);
    if (busy) {
      item.appendChild(el('p', 'spptik-Tugas-busy', busy));
      return item;
    }
    const actions = el('div', 'spptik-Tugas-actions');
    if (!record.fetched) {
      if (record.released) {
        actions.appendChild(button('Ambil', () => this.fetch(record), true));
      }
    } else {
      actions.appendChild(button('Buka', () => this.open(record)));
      actions.appendChild(button('Periksa', () => this.check(record)));
      actions.appendChild(button('Kirim', () => this.submit(record), true));
    }
    if (last && (last.has_local_feedback || last.has_exchange_feedback)) {
      actions.appendChild(button('Lihat umpan balik', () => this.feedback(record)));
    }
    item.appendChild(actions);
    return item;
  }

  async _while(record, what, work) {
    this._busy.set(record.id, what);
    this._show(this._records, this._status.textContent);
    try {
      return await work();
    } finally {
      this._busy.delete(record.id);
      await this.refresh();
    }
  }

  async fetch(record) {
    const answer = await this._while(record, 'Sedang mengambil…',
      () => api.action('fetch', record.courseId, record.id));
    const fetched = this._records.find(r => r.id === record.id);
    if (!answer.success || !fetched || !fetched.fetched) {
      await problem(`Tugas ${record.id} tidak dapat diambil`,
        'Mungkin folder dengan nama yang sama sudah ada di folder Anda. Tanyakan kepada fasilitator.',
        answer.value);
      return;
    }
    await this.open(fetched);
  }

  // the assignment's folder in the file browser, and its notebooks opened
  async open(record) {
    const folder = notebookFolder(record);
    if (this.fileBrowser) {
      await this.fileBrowser.model.cd(`/${folder}`);
    }
    for (const notebook of record.fetched.notebooks || []) {
      this.docManager.openOrReveal(notebook.path);
    }
  }

  async _saveOpen(record) {
    const folder = `${notebookFolder(record)}/`;
    for (const widget of this.app.shell.widgets('main')) {
      const context = this.docManager.contextForWidget(widget);
      if (context && context.path.startsWith(folder) && context.model.dirty) {
        await context.save();
      }
    }
  }

  async check(record) {
    const notebooks = record.fetched.notebooks || [];
    const results = await this._while(record, 'Sedang memeriksa… (menjalankan notebook dari awal)', async () => {
      await this._saveOpen(record);
      const found = [];
      for (const notebook of notebooks) {
        found.push([notebook, await api.validate(notebook.path)]);
      }
      return found;
    });
    await showDialog({
      title: `Hasil pemeriksaan ${record.id}`,
      body: checkBody(results),
      buttons: [Dialog.okButton({ label: 'Tutup' })]
    });
  }

  async submit(record) {
    const body = el('div', 'spptik-Tugas-confirm');
    body.appendChild(el('p', '', `Semua notebook di folder ${notebookFolder(record)}/ akan dikirim kepada ` +
      'fasilitator. Notebook yang terbuka disimpan dulu.'));
    body.appendChild(el('p', '', 'Anda boleh mengirim ulang nanti; kiriman terakhir yang dinilai.'));
    const choice = await showDialog({
      title: `Kirim tugas ${record.id}?`,
      body: new Widget({ node: body }),
      buttons: [Dialog.cancelButton({ label: 'Batal' }), Dialog.okButton({ label: 'Kirim' })]
    });
    if (!choice.button.accept) {
      return;
    }
    const answer = await this._while(record, 'Sedang mengirim…', async () => {
      await this._saveOpen(record);
      return api.action('submit', record.courseId, record.id);
    });
    if (!answer.success) {
      await problem(`Tugas ${record.id} belum terkirim`,
        'Coba kirim sekali lagi. Bila tetap gagal, tanyakan kepada fasilitator.', answer.value);
      return;
    }
    const latest = this._records.find(r => r.id === record.id);
    const last = latest && latest.submissions[latest.submissions.length - 1];
    await showDialog({
      title: `Tugas ${record.id} terkirim`,
      body: last ? `Diterima ${localTime(last.timestamp)}. Nilai dan umpan balik muncul di panel ini ` +
        'setelah dinilai.' : 'Nilai dan umpan balik muncul di panel ini setelah dinilai.',
      buttons: [Dialog.okButton({ label: 'Tutup' })]
    });
  }

  async feedback(record) {
    let last = record.submissions[record.submissions.length - 1];
    if (!last.has_local_feedback || last.feedback_updated) {
      const answer = await this._while(record, 'Sedang mengambil umpan balik…',
        () => api.action('fetch_feedback', record.courseId, record.id));
      const latest = this._records.find(r => r.id === record.id);
      last = latest && latest.submissions[latest.submissions.length - 1];
      if (!answer.success || !last || !last.has_local_feedback) {
        await problem('Umpan balik belum dapat diambil', 'Coba lagi sebentar lagi.', answer.value);
        return;
      }
    }
    for (const notebook of last.notebooks || []) {
      if (notebook.local_feedback_path) {
        this.docManager.openOrReveal(relativeFeedbackPath(record, last, notebook));
      }
    }
  }
}

function number(value) {
  return Number(value).toLocaleString('id-ID', { maximumFractionDigits: 1 });
}

// "6 dari 6", "4 dari 10 (4 poin tertulis menunggu fasilitator)", or "menunggu"
export function scoreText(result) {
  if (!result || typeof result.nilai !== 'number') {
    return 'menunggu';
  }
  const max = typeof result.nilai_maks === 'number' ? ` dari ${number(result.nilai_maks)}` : '';
  const manual = result.menunggu_fasilitator_maks > 0
    ? ` (${number(result.menunggu_fasilitator_maks)} poin tertulis menunggu fasilitator)` : '';
  return `${number(result.nilai)}${max}${manual}`;
}

// nbgrader gives the feedback folder relative to the server's root; notebooks' files
// in it are named after the notebook
function relativeFeedbackPath(record, submission, notebook) {
  const folder = submission.local_feedback_path || `${notebookFolder(record)}/feedback/${submission.timestamp}`;
  return `${folder}/${notebook.notebook_id}.html`;
}

function checkBody(results) {
  const node = el('div', 'spptik-Tugas-check');
  for (const [notebook, answer] of results) {
    const name = notebook.notebook_id;
    if (!answer.success) {
      node.appendChild(el('p', 'spptik-Tugas-bad', `${name}: notebook tidak dapat diperiksa.`));
      node.appendChild(el('pre', '', lastLine(answer.value)));
      continue;
    }
    const value = answer.value || {};
    if (value.type_changed) {
      node.appendChild(el('p', 'spptik-Tugas-bad', `${name}: jenis ${value.type_changed.length} sel diubah ` +
        '(misalnya sel kode menjadi teks). Kembalikan jenisnya, atau ambil ulang tugas dari fasilitator.'));
    } else if (value.changed) {
      node.appendChild(el('p', 'spptik-Tugas-bad', `${name}: ${value.changed.length} sel yang tidak boleh ` +
        'diubah telah diubah. Kembalikan isinya seperti semula.'));
    } else if (value.failed) {
      node.appendChild(el('p', 'spptik-Tugas-bad', `${name}: ${value.failed.length} pemeriksaan belum lulus.`));
      for (const failed of value.failed) {
        const first = (failed.source || '').split('\n')[0];
        const item = el('div', 'spptik-Tugas-failed');
        item.appendChild(el('code', '', first));
        item.appendChild(el('pre', '', lastLine(failed.raw_error)));
        node.appendChild(item);
      }
    } else {
      node.appendChild(el('p', 'spptik-Tugas-good', `${name}: semua pemeriksaan lulus. Tugas siap dikirim.`));
    }
  }
  return new Widget({ node });
}

async function problem(title, advice, detail) {
  const node = el('div', 'spptik-Tugas-problem');
  node.appendChild(el('p', '', advice));
  const reason = lastLine(detail);
  if (reason) {
    node.appendChild(el('p', '', 'Keterangan untuk fasilitator:'));
    node.appendChild(el('pre', '', reason));
  }
  await showDialog({ title, body: new Widget({ node }), buttons: [Dialog.okButton({ label: 'Tutup' })] });
}
