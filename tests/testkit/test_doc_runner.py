"""The docs' example runner: which blocks it finds, how it splits them, how it compares
a shown answer with a real one, and that its sandbox sends the docs' ports elsewhere."""

import http.server
import sys
import threading

import pytest

from testkit.doc_examples import DocShell, Line, run_blocks, runnable, same_shape, shell_blocks
from testkit.processes import Processes

DOC = (
    "text\n\n<!-- not-run: serves until Ctrl-C -->\n```sh\nmake run\n```\n\n"
    "```bash\ncurl -X POST http://x/ \\\n  -d '[1,\n 2]'\necho hi  # two\n```\n\n"
    "```\npython -m bench realism\n```\n\n```\nprotocol/  the contract\n```\n\n"
    "- a list\n\n  ```sh\n  echo indented\n  ```\n"
)


def test_shell_blocks_are_found_with_their_reasons_and_lines(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(DOC)
    blocks = shell_blocks(doc)
    assert [(b.line, b.not_run) for b in blocks] == [
        (4, "serves until Ctrl-C"),
        (8, None),
        (15, None),  # unlabelled, but a command: shell too; the tree after it is not
        (25, None),
    ]
    assert blocks[1].commands == ["curl -X POST http://x/ -d '[1,\n 2]'", "echo hi  # two"]
    assert blocks[3].commands == ["echo indented"]
    assert runnable(doc) == blocks[1:]


def test_a_shown_shape_must_have_the_real_keys():
    real = {"a": 1, "b": {"c": None, "d": [{"id": "x", "e": 1}, {"id": "y", "f": 2}]}}
    same_shape({"a": 0, "b": {"c": 5, "d": [{"id": "y", "f": 0}]}}, real)
    same_shape({"b": {"...": "...", "d": ["..."]}, "...": "..."}, real)  # abridged
    with pytest.raises(AssertionError, match=r"\['a'\]"):
        same_shape({"b": {"c": None, "d": []}}, real)  # a key not shown
    with pytest.raises(AssertionError, match=r"\$\.b\.d\[y\]"):
        same_shape({"a": 0, "b": {"c": 0, "d": [{"id": "y", "e": 1}]}}, real)
    with pytest.raises(AssertionError, match="not in the answer"):
        same_shape({"z": 1, "...": "..."}, real)
    same_shape({"m": {"kettle": {"w": 1}, "gone": 3}}, {"m": {"kettle": {"w": 2}}}, id_maps={"m"})


def test_the_sandbox_sends_the_docs_address_to_the_tests_server(tmp_path):
    class Answer(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(201)
            self.end_headers()
            self.wfile.write(self.path.encode())

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        shell = DocShell(tmp_path, 1, server.server_port)
        ran = shell.run("curl http://127.0.0.1:8000/api/health")
        assert (ran.returncode, ran.stdout, ran.http_status) == (0, "/api/health", 201)
        ran = shell.run(".venv/bin/python -c 'import testkit, sys; print(sys.prefix)'")
        assert ran.returncode == 0 and ran.stdout.strip() == sys.prefix, ran
    finally:
        server.shutdown()
        server.server_close()


def test_a_line_without_a_check_or_a_check_without_its_line_fails(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("```sh\necho one\necho two\n```\n")
    shell, procs = DocShell(tmp_path / "sandbox", 1, 1), Processes(tmp_path)
    said = []
    run_blocks(
        shell, procs, runnable(doc), dict.fromkeys(["echo one", "echo two"], Line(said.append))
    )
    assert [ran.stdout for ran in said] == ["one\n", "two\n"]
    with pytest.raises(AssertionError, match="no check for these lines: \\['echo two'\\]"):
        run_blocks(shell, procs, runnable(doc), {"echo one": Line(said.append)})
    with pytest.raises(AssertionError, match="no longer has"):
        lines = dict.fromkeys(["echo one", "echo two", "echo three"], Line(said.append))
        run_blocks(shell, procs, runnable(doc), lines)
