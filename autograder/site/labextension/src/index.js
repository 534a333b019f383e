// @spptik/tugas: the participant's Indonesian assignments panel on nbgrader's server
// endpoints, and corrections to the id-ID language pack's menu texts.
import { ILabShell, ILayoutRestorer } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ITranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';

import { TugasPanel } from './panel';
import { applyFixes } from './terjemahan';

const ICON = new LabIcon({
  name: 'spptik:tugas',
  svgstr: '<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M9 2h6a1 1 0 0 1 1 1v1h2a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6' +
    'a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h2V3a1 1 0 0 1 1-1zm0 2v2h6V4H9zm1.3 13.3 7-7-1.4-1.4-5.6 5.6-2.6-2.6' +
    '-1.4 1.4 4 4z"/></svg>'
});

const terjemahan = {
  id: '@spptik/tugas:terjemahan',
  description: 'Memperbaiki teks menu paket bahasa id-ID (Mulai Ulang Kernel dan Jalankan Semua Sel…)',
  autoStart: true,
  requires: [ITranslator],
  activate: (app, translator) => {
    const count = applyFixes(translator);
    document.body.dataset.spptikTerjemahan = String(count);
  }
};

const panel = {
  id: '@spptik/tugas:panel',
  description: 'Panel Tugas untuk peserta: ambil, buka, periksa, kirim, nilai dan umpan balik',
  autoStart: true,
  requires: [IDocumentManager, ILabShell],
  optional: [IDefaultFileBrowser, ILayoutRestorer],
  activate: (app, docManager, labShell, fileBrowser, restorer) => {
    // only where the site's participant settings ask for it (not on a trainer's Lab)
    if (PageConfig.getOption('spptikPanelTugas') !== 'aktif') {
      return;
    }
    const widget = new TugasPanel({ app, docManager, fileBrowser });
    widget.title.icon = ICON;
    widget.title.label = 'Tugas';
    labShell.add(widget, 'left', { rank: 150 });
    if (restorer) {
      restorer.add(widget, 'spptik-tugas');
    }
    app.commands.addCommand('spptik:tugas', {
      label: 'Buka panel Tugas',
      execute: () => labShell.activateById(widget.id)
    });
  }
};

export default [terjemahan, panel];
