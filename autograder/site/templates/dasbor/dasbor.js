// The trainers' class dashboard: polls api/kelas and redraws. Every text goes in through
// textContent (never innerHTML): names, ids and messages come from participants.
"use strict";

(function () {
  const body = document.body;
  const api = body.dataset.api;
  const refresh = parseInt(body.dataset.refresh, 10) || 3000;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function cellText(cell, labels) {
    if (cell.status === "dinilai") return "dinilai " + formatPercent(cell.persen);
    return labels[cell.status] || cell.status;
  }

  function formatPercent(value) {
    if (value === null || value === undefined) return "";
    return value.toLocaleString("id-ID", { maximumFractionDigits: 1 }) + " %";
  }

  function formatTime(iso) {
    const when = new Date(iso);
    return when.toLocaleString("id-ID", { dateStyle: "medium", timeStyle: "medium" });
  }

  function drawLegend(view) {
    const legend = document.getElementById("legenda");
    clear(legend);
    for (const [key, label] of Object.entries(view.label)) {
      if (view.mode === "hub" && key === "belum_dikirim") continue;
      if (view.mode !== "hub" && (key === "belum_diambil" || key === "diambil")) continue;
      legend.appendChild(el("span", label, "sel " + key));
    }
  }

  function drawGrid(view) {
    const head = document.getElementById("kisi-kepala");
    clear(head);
    head.appendChild(el("th", "Peserta"));
    for (const task of view.tugas) {
      const th = el("th", task.id);
      th.title = task.judul + (task.wajib ? " (wajib)" : "");
      if (!task.aktif) th.className = "pasif";
      th.scope = "col";
      head.appendChild(th);
    }
    const rows = document.getElementById("kisi-isi");
    clear(rows);
    for (const person of view.peserta) {
      const tr = el("tr");
      tr.dataset.peserta = person.id;
      const name = el("th");
      name.scope = "row";
      name.appendChild(el("span", person.nama, "nama"));
      name.appendChild(el("span", person.id, "id"));
      tr.appendChild(name);
      for (const task of view.tugas) {
        const cell = person.sel[task.id];
        const idle = !task.aktif && (cell.status === "belum_diambil" || cell.status === "belum_dikirim");
        const td = el("td", idle ? "·" : cellText(cell, view.label), "sel " + cell.status + (idle ? " pasif" : ""));
        if (idle) td.title = view.mode === "hub" ? "belum dibagikan" : "belum ada yang mengirim";
        td.dataset.tugas = task.id;
        td.dataset.status = cell.status;
        if (cell.pesan) td.title = cell.pesan;
        if (cell.status === "menunggu_manual" && cell.persen !== null) {
          td.title = "nilai otomatis sementara " + formatPercent(cell.persen);
        }
        tr.appendChild(td);
      }
      rows.appendChild(tr);
    }
    const foot = document.getElementById("kisi-jumlah");
    clear(foot);
    const order = ["dinilai", "menunggu_manual", "dikirim", "perhatian", "diambil"];
    for (const status of order) {
      if (view.mode !== "hub" && status === "diambil") continue;
      const tr = el("tr");
      tr.appendChild(el("th", view.label[status], "sel " + status));
      for (const task of view.tugas) {
        const td = el("td", task.jumlah[status] || 0);
        td.dataset.tugas = task.id;
        td.dataset.jumlah = status;
        tr.appendChild(td);
      }
      foot.appendChild(tr);
    }
  }

  function drawBehind(view) {
    const list = document.getElementById("tertinggal");
    clear(list);
    if (!view.tertinggal.length) {
      list.appendChild(el("li", "Tidak ada: semua peserta sudah mengirim tugas wajib yang berjalan."));
      return;
    }
    for (const person of view.tertinggal) {
      const li = el("li");
      li.appendChild(el("b", person.nama));
      li.appendChild(el("span", " (" + person.id + "): belum mengirim " + person.tugas.join(", ")));
      list.appendChild(li);
    }
  }

  function drawStuck(view) {
    const box = document.getElementById("macet");
    clear(box);
    let any = false;
    for (const task of view.tugas) {
      if (!task.macet.length) continue;
      any = true;
      const section = el("div", null, "tugas-macet");
      section.dataset.tugas = task.id;
      const title = el("h3", task.id + " · " + task.judul);
      section.appendChild(title);
      const table = el("table");
      const head = el("tr");
      for (const label of ["Sel pemeriksa", "Gagal", "Pesan yang dilihat peserta"]) head.appendChild(el("th", label));
      table.appendChild(head);
      for (const check of task.macet) {
        const tr = el("tr");
        tr.appendChild(el("td", check.cek, "kode"));
        tr.appendChild(el("td", check.gagal + " dari " + check.dari));
        const messages = el("td", null, "pesan");
        for (const message of check.pesan) {
          const line = el("div", message.teks);
          if (check.pesan.length > 1) line.appendChild(el("span", " (" + message.jumlah + "×)", "jumlah"));
          messages.appendChild(line);
        }
        tr.appendChild(messages);
        table.appendChild(tr);
      }
      section.appendChild(table);
      box.appendChild(section);
    }
    if (!any) box.appendChild(el("p", "Belum ada sel pemeriksa yang gagal pada kiriman yang sudah dinilai."));
  }

  function drawAttention(view) {
    const list = document.getElementById("perhatian");
    clear(list);
    for (const person of view.peserta) {
      for (const task of view.tugas) {
        const cell = person.sel[task.id];
        if (cell.status !== "perhatian") continue;
        const li = el("li");
        li.appendChild(el("b", person.nama));
        li.appendChild(el("span", " (" + person.id + ") · " + task.id + ": " + (cell.pesan || "lihat laporan penilaian")));
        list.appendChild(li);
      }
    }
    if (!list.firstChild) list.appendChild(el("li", "Tidak ada."));
  }

  function drawManual(view) {
    const list = document.getElementById("manual");
    clear(list);
    const waiting = view.tugas.filter((task) => task.jumlah.menunggu_manual);
    if (!waiting.length) {
      list.appendChild(el("li", "Tidak ada kiriman yang menunggu penilaian manual."));
      return;
    }
    for (const task of waiting) {
      const li = el("li");
      li.dataset.tugas = task.id;
      li.appendChild(el("b", task.id));
      li.appendChild(el("span", " · " + task.judul + ": " + task.jumlah.menunggu_manual + " kiriman "));
      if (view.formgrader) {
        const link = el("a", "nilai di Formgrader");
        link.href = view.formgrader + "/manage_submissions/" + encodeURIComponent(task.id);
        link.target = "_blank";
        link.rel = "noopener";
        li.appendChild(link);
      } else {
        li.appendChild(el("span", "(nilai dengan: spptik lab FOLDER, lalu Formgrader)"));
      }
      list.appendChild(li);
    }
  }

  function drawService(view) {
    const note = document.getElementById("layanan");
    const service = view.layanan;
    if (service && service.pesan) {
      note.textContent = service.pesan;
      note.hidden = false;
    } else {
      note.hidden = true;
    }
  }

  async function update() {
    const stamp = document.getElementById("diperbarui");
    try {
      const headers = body.dataset.xsrf ? { "X-XSRFToken": body.dataset.xsrf } : {};
      const response = await fetch(api, { credentials: "same-origin", cache: "no-store", headers });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const view = await response.json();
      drawLegend(view);
      drawGrid(view);
      drawBehind(view);
      drawStuck(view);
      drawManual(view);
      drawAttention(view);
      drawService(view);
      stamp.textContent = "Diperbarui otomatis setiap " + Math.round(refresh / 1000) +
        " detik · terakhir " + formatTime(view.diperbarui);
      stamp.className = "sub";
    } catch (err) {
      stamp.textContent = "Gagal memuat data kelas (" + err.message + "); dicoba lagi…";
      stamp.className = "sub galat";
    }
  }

  update();
  setInterval(update, refresh);
})();
