from pathlib import Path

import pytest

from autograder.cohort.roster import RosterError, parse_roster, read_roster, write_roster
from autograder.cohort.workspace import init_workspace
from autograder.demo import synthetic

HEADER = ("id_peserta,nama,jenis_kelamin,instansi,jenis_perpustakaan,kode_wilayah,"
          "kabupaten_kota,provinsi,email,telepon\n")


def test_roster_written_with_bom_reads_back_the_same(tmp_path):
    people = synthetic.make_roster(6)
    path = tmp_path / "peserta.csv"
    write_roster(people, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    assert read_roster(path) == people


def test_semicolon_roster_from_excel_with_lowercase_sex_is_accepted():
    text = HEADER.replace(",", ";") + \
        'P-01;Siti Aminah;p;Perpustakaan Desa Sukamaju;desa;13.06.01.2001;Kab. Padang Pariaman;' \
        'Sumatera Barat;;\n'
    [p] = parse_roster(text)
    assert p.jenis_kelamin == "P" and p.kode_wilayah == "13.06.01.2001"


def test_bad_roster_lists_every_bad_row_and_why():
    text = HEADER + (
        "A-1,Budi,L,Perpus A,desa,13.71,Kota Padang,Sumatera Barat,,\n"
        "A 2,Ani,P,Perpus B,desa,13.71,Kota Padang,Sumatera Barat,,\n"
        "A-3,Eko,X,Perpus C,kabupaten_kota,13.71,Kota Padang,Sumatera Barat,,\n"
        "A-1,Dewi,P,Perpus D,perpustakaan,ab,Kota Padang,Sumatera Barat,,\n"
        "A-5,,P,Perpus E,desa,13.71,Kota Padang,Sumatera Barat,,\n"
    )
    with pytest.raises(RosterError) as caught:
        parse_roster(text)
    problems = "\n".join(caught.value.problems)
    assert "baris 3" in problems and "id_peserta 'A 2'" in problems
    assert "baris 4" in problems and "harus L atau P" in problems
    assert "baris 5" in problems and "sudah dipakai di baris 2" in problems
    assert "jenis_perpustakaan 'perpustakaan'" in problems and "kode_wilayah 'ab'" in problems
    assert "baris 6: nama kosong" in problems
    assert not any(p.startswith("baris 2:") for p in caught.value.problems)


def test_missing_columns_are_named():
    with pytest.raises(RosterError, match="kolom wajib tidak ada: .*jenis_kelamin"):
        parse_roster("id_peserta,nama\nA,B\n")


def test_bad_roster_writes_nothing(tmp_path):
    bad = tmp_path / "buruk.csv"
    bad.write_text(HEADER + "A 1,Budi,L,Perpus,desa,,,Sumatera Barat,,\n", encoding="utf-8")
    target = tmp_path / "kohort"
    with pytest.raises(RosterError):
        init_workspace(target, bad, "Gagal")
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["buruk.csv"]


def test_roster_that_is_not_utf8_is_refused_with_advice(tmp_path):
    path = Path(tmp_path / "latin1.csv")
    path.write_bytes((HEADER + "A-1,Jos\xe9,L,P,desa,,,Bali,,\n").encode("latin-1"))
    with pytest.raises(RosterError, match="UTF-8"):
        read_roster(path)
