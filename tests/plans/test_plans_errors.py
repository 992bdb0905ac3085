"""Bad input: every case raises PlanImportError with a clear Vietnamese message, and the
CLI prints it to stderr with exit status 1 (nothing on stdout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.plans import MAX_BYTES, PlanImportError, cli_main, import_plan
from tests.plans.docx_builders import empty_docx, image_only_docx, png_bytes

NOT_A_PLAN = "Không tìm thấy nội dung kế hoạch"
SCANNED = "Tệp là ảnh quét, không có chữ: hãy dùng bản .docx hoặc .txt"


def _error(path: Path) -> str:
    with pytest.raises(PlanImportError) as info:
        import_plan(path)
    return str(info.value)


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_empty_file(tmp_path: Path) -> None:
    assert _error(_write(tmp_path, "trong.txt", b"")) == "Tệp trống."
    assert _error(_write(tmp_path, "trang.md", " \n\n\t  \n")) == "Tệp trống."


def test_empty_docx(tmp_path: Path) -> None:
    assert _error(empty_docx(tmp_path / "trong.docx")) == "Tệp trống."


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "tin-tuc.txt",
            "Sáng nay trời mưa to ở Đồng Nai. Người dân đi làm muộn hơn thường lệ.\n\n"
            "Chiều nay trời nắng trở lại, kế hoạch đi chơi của nhiều gia đình không bị ảnh "
            "hưởng.\n",
        ),
        ("script.txt", "import os\n\n\ndef main() -> None:\n    print(os.getcwd())\n"),
        ("readme.md", "# Project\n\nSome English text.\n\n## Usage\n\nRun it.\n"),
        ("chi-tieu-de.txt", "KẾ HOẠCH\n"),
    ],
)
def test_not_a_plan(tmp_path: Path, name: str, text: str) -> None:
    message = _error(_write(tmp_path, name, text))
    assert message.startswith(NOT_A_PLAN)
    assert "KẾ HOẠCH" in message and "I., II." in message


def test_scanned_image_under_a_text_name(tmp_path: Path) -> None:
    assert _error(_write(tmp_path, "scan.txt", png_bytes())).startswith(SCANNED)
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)
    assert _error(_write(tmp_path, "scan.md", jpeg)).startswith(SCANNED)


def test_image_extension(tmp_path: Path) -> None:
    assert _error(_write(tmp_path, "trang-1.png", png_bytes())).startswith(SCANNED)


def test_docx_with_only_a_scanned_page(tmp_path: Path) -> None:
    assert _error(image_only_docx(tmp_path / "scan.docx")).startswith(SCANNED)


def test_pdf(tmp_path: Path) -> None:
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
    for name in ["ke-hoach.pdf", "ke-hoach.txt"]:
        message = _error(_write(tmp_path, name, pdf))
        assert ".pdf" in message and ".docx hoặc .txt" in message


def test_binary_garbage(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    message = _error(_write(tmp_path, "rac.txt", data))
    assert message.startswith("Tệp không phải văn bản")


def test_broken_docx(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "hong.docx", "đây không phải tệp Word"))
    assert message.startswith("Không đọc được tệp .docx:")
    zipped = b"PK\x03\x04" + bytes(100)
    assert _error(_write(tmp_path, "hong2.docx", zipped)).startswith("Không đọc được tệp .docx:")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)
    assert "Word cũ (.doc)" in _error(_write(tmp_path, "cu.docx", ole))


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "lon.txt"
    with path.open("wb") as f:
        f.truncate(10 * 1024 * 1024)  # sparse: the size is checked before reading
    assert _error(path) == "Tệp quá lớn (10,0 MB; tối đa 5 MB)."
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    assert _error(path).startswith("Tệp quá lớn (5,0 MB")


@pytest.mark.parametrize("name", ["ke-hoach.doc", "ke-hoach.xlsx", "plan.py", "ke-hoach"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    message = _error(_write(tmp_path, name, "KẾ HOẠCH\n\nI. MỤC ĐÍCH\n\nII. NỘI DUNG\n"))
    assert "không được hỗ trợ" in message
    assert ".docx" in message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert _error(tmp_path / "khong-co.txt").startswith("Không tìm thấy tệp:")
    assert _error(tmp_path).startswith("Đây là thư mục")


def test_cli_error_goes_to_stderr_with_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "trong.txt", b"")
    assert cli_main([str(path), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "Lỗi: Tệp trống.\n"


@pytest.mark.parametrize("argv", [[], ["a.txt", "b.txt"], ["--xml", "a.txt"]])
def test_cli_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Cách dùng: loaxa plan import" in captured.err


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["--help"]) == 0
    assert "--json" in capsys.readouterr().out
