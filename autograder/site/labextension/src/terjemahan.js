// Corrections to the id-ID language pack where JupyterLab shows a participant wrong or
// English text: the notebooks name these menu items, and must match what is on screen.
// "Restart Kernel and Run All Cells…" is built from "%1 and %2" with "Restart Kernel…"
// and "Run All Cells" (the pack leaves "and" in English and misspells the rest).
export const FIXES = {
  '%1 and %2': '%1 dan %2',
  'Restart Kernel…': 'Mulai Ulang Kernel…',
  'Restart Kernel?': 'Mulai ulang kernel?',
  'Restart the kernel': 'Mulai ulang kernel',
  'Restart': 'Mulai Ulang',
  'Restart Kernel and Run All Cells…': 'Mulai Ulang Kernel dan Jalankan Semua Sel…',
  'Restart Kernel and Run All': 'Mulai Ulang Kernel dan Jalankan Semua',
  'Restart Kernel and Clear…': 'Mulai Ulang Kernel dan Kosongkan…',
  'Restart Kernel and Run up to Selected Cell…': 'Mulai Ulang Kernel dan Jalankan sampai Sel Terpilih…',
  'Restart the kernel, then re-run the whole notebook': 'Mulai ulang kernel, lalu jalankan seluruh notebook',
  'Restart the kernel and run all cells': 'Mulai ulang kernel dan jalankan semua sel',
  'Kernel Restarting': 'Kernel sedang dimulai ulang',
  'Run All Cells': 'Jalankan Semua Sel',
  'Run All': 'Jalankan Semua',
  'Run Selected': 'Jalankan yang Terpilih',
  'Run the selected cells and advance': 'Jalankan sel terpilih lalu pindah ke sel berikutnya',
  'Restart Kernel': 'Mulai Ulang Kernel',
  'Restart Kernel and Clear Outputs of All Cells…': 'Mulai Ulang Kernel dan Hapus Keluaran Semua Sel…',
  'Restart Kernel and Debug…': 'Mulai Ulang Kernel dan Debug…',
  'Clear Outputs of All Cells': 'Hapus Keluaran Semua Sel',
  'Shut Down All Kernels': 'Matikan Semua Kernel',
  'Merge Cell Above': 'Gabungkan dengan Sel di Atas',
  'Merge Cell Below': 'Gabungkan dengan Sel di Bawah',
  'Clear Cell Output': 'Hapus Keluaran Sel'
};

// Texts JupyterLab asks for with a plural ("Run Selected Cell" / "Run Selected Cells"):
// the pack has none of these, so the Edit and Run menus' cell items stayed English.
// Indonesian has one form (the pack's "plural=0"); both entries are the same.
export const PLURAL_FIXES = {
  'Run Selected Cell': 'Jalankan Sel Terpilih',
  'Run Selected Cell and Insert Below': 'Jalankan Sel Terpilih dan Sisipkan di Bawah',
  'Run Selected Cell and Do not Advance': 'Jalankan Sel Terpilih tanpa Pindah',
  'Run this cell and advance': 'Jalankan sel terpilih lalu pindah ke sel berikutnya',
  'Copy Cell': 'Salin Sel',
  'Cut Cell': 'Potong Sel',
  'Delete Cell': 'Hapus Sel',
  'Duplicate Cell Below': 'Gandakan Sel di Bawah',
  'Move Cell Down': 'Pindahkan Sel ke Bawah',
  'Move Cell Up': 'Pindahkan Sel ke Atas',
  'Paste Cell Above': 'Tempel Sel di Atas',
  'Paste Cell Below': 'Tempel Sel di Bawah',
  'Paste Cell and Replace': 'Tempel Sel dan Ganti'
};

/**
 * Put the corrections into the loaded "jupyterlab" translation bundle. Labels are
 * looked up each time a menu opens, so corrections made at start-up show everywhere.
 * Returns how many messages were set (0 when the interface is not Indonesian).
 */
export function applyFixes(translator) {
  const bundle = translator.load('jupyterlab');
  const dictionary = bundle && bundle._dictionary && bundle._dictionary.jupyterlab;
  if (!dictionary) {
    return 0;
  }
  let count = 0;
  for (const locale of Object.keys(dictionary)) {
    if (!/^id/.test(locale)) {
      continue;
    }
    for (const [msgid, text] of Object.entries(FIXES)) {
      dictionary[locale][msgid] = [text];
      count += 1;
    }
    for (const [msgid, text] of Object.entries(PLURAL_FIXES)) {
      dictionary[locale][msgid] = [text, text];
      count += 1;
    }
  }
  return count;
}
