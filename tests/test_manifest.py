import pytest

from autograder.course.manifest import MANIFEST_PATH, ManifestError, load_course


def test_course_manifest_covers_the_curriculum_map(course):
    ids = [m.id for m in course.modules]
    assert ids == ["m00", "pre", "m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "post"]
    assert course.days == 5
    # a five-day training: every day has hours, and no day is overfull (1 JP = 45 minutes)
    per_day = {d: sum(m.jp for m in course.modules if m.day == d) for d in range(1, 6)}
    assert all(0 < jp <= 10 for jp in per_day.values()), per_day
    assert course.completion.capstone == "m08"
    assert course.completion.pre_test == "pre" and course.completion.post_test == "post"
    assert course.module_for("pre").weight == 0  # the pre-test measures, it does not count
    for module in course.modules:
        if module.lesson:
            assert (course.root / module.lesson).is_file(), module.lesson


def test_manifest_problems_are_all_reported(tmp_path):
    bad = tmp_path / "course.toml"
    bad.write_text(
        '[[modules]]\nid = "a"\ntitle = "A"\njp = 2\nkind = "kuliah"\nassignment = "a"\n'
        '[[modules]]\nid = "a"\ntitle = "B"\njp = -1\nkind = "latihan"\n'
        '[completion]\ncapstone = "m99"\n', encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_course(bad)
    text = str(caught.value)
    assert "jenis 'kuliah' tidak dikenal" in text
    assert "tercantum dua kali" in text
    assert "tidak boleh negatif" in text
    assert "capstone = 'm99'" in text


def test_completion_rule_is_read_from_the_file(tmp_path):
    text = MANIFEST_PATH.read_text(encoding="utf-8").replace("min_final_score = 70",
                                                             "min_final_score = 55")
    path = tmp_path / "course.toml"
    path.write_text(text, encoding="utf-8")
    assert load_course(path).completion.min_final_score == 55
