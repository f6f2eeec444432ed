"""The body as the data's tree of blocks, rebuilt from its paragraphs: a labelled paragraph with
a bold title is a `heading:`, without one an `item:`; each label's style places it in the tree
(a style already open closes what is under it, a new one opens a level); unlabelled paragraphs
belong to the innermost heading. Labels and styles are written only where the kind's numbering
would not print them by itself, so a draft numbered as its kind numbers comes back clean."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mtcl_docs.draft.labels import BLOCK, STEP, Label, normal_label, token_of, typed_label
from mtcl_docs.draft.text import clean, markup, split_runs, strip_runs
from mtcl_docs.oxml.draft_read import DraftPara, DraftRun, DraftTable
from mtcl_docs.render.numbering import STYLES

TableReader = Callable[[DraftTable], dict[str, Any]]


@dataclass
class Node:
    """A numbered block while the tree is built."""

    kind: str  # "heading" or "item"
    label: str
    token: str
    title: str
    text: str = ""
    body: list[Any] = field(default_factory=list)


def para_label(p: DraftPara) -> Label | None:
    """The label of a paragraph: the Word list's, or the one typed at its start."""
    if p.list_label:
        label = normal_label(p.list_label)
        token = token_of(label) or ("-" if label == "-" else None)
        if token:
            return Label(label, token, 0, typed=False)
    return typed_label(p.text)


def _title_and_text(runs: list[DraftRun]) -> tuple[list[DraftRun], list[DraftRun]]:
    """The bold opening (a heading's title) and what follows it."""
    runs = strip_runs(runs)
    at = 0
    for run in runs:
        if run.bold or not run.text.strip():
            at += len(run.text)
        else:
            break
    text = "".join(r.text for r in runs)
    bold_part = text[:at]
    at = len(bold_part.rstrip())
    title, rest = split_runs(runs, at)
    return title, strip_runs(rest)


def build_body(items: Sequence[DraftPara | DraftTable], levels: Sequence[str],
               read_table: TableReader) -> list[Any]:  # fmt: skip
    """The body blocks (YAML-ready) of `items`."""
    root: list[Any] = []
    stack: list[Node] = []
    pending_block: tuple[Label, DraftPara] | None = None

    def container() -> list[Any]:
        for node in reversed(stack):
            if node.kind == "heading":
                return node.body
        return root

    def leaf(block: Any) -> None:
        while stack and stack[-1].kind != "heading":
            stack.pop()
        container().append(block)

    def place(node: Node) -> None:
        for k in range(len(stack) - 1, -1, -1):
            if stack[k].token == node.token:
                del stack[k:]
                break
        (stack[-1].body if stack else root).append(node)
        stack.append(node)

    steps: list[str] = []
    step_prefix = ""

    def flush_steps() -> None:
        nonlocal steps
        if steps:
            leaf({"steps": steps, **({"prefix": step_prefix} if step_prefix != "B" else {})})
            steps = []

    broken = False  # the paragraph before ended with a page break
    for item in items:
        if broken and not (isinstance(item, DraftPara) and item.page_break_before):
            flush_steps()
            leaf({"page_break": True})
        broken = isinstance(item, DraftPara) and item.page_break_after
        if isinstance(item, DraftTable):
            flush_steps()
            leaf({"table": read_table(item)})
            continue
        p = item
        text = clean(p.text)
        if p.page_break_before:
            flush_steps()
            leaf({"page_break": True})
        if not text:
            continue
        if pending_block is not None:  # `Chương I` over its title
            label, head = pending_block
            pending_block = None
            runs = strip_runs(p.runs)
            if p.bold:
                place(Node("heading", label.text, label.token, markup(runs, drop_bold=True)))
            else:
                place(Node("item", label.text, label.token, markup(runs)))
            continue
        step = STEP.match(text)
        if step and (not steps or (step.group(1) == step_prefix
                                   and int(step.group(2)) == len(steps) + 1)):  # fmt: skip
            if not steps and step.group(2) != "1":
                step = None
            else:
                step_prefix = step.group(1)
                steps.append(markup(strip_runs(split_runs(p.runs, _offset(p, step.end()))[1])))
                continue
        flush_steps()
        if BLOCK.match(text) and p.align == "center":
            pending_block = (Label(text, token_of(text) or "Chương", len(p.text)), p)
            continue
        label = para_label(p)
        if label is None:
            if p.align == "center" and not p.list_label:
                leaf({"center": markup(strip_runs(p.runs))})
            elif p.left_mm > 5 and p.right_mm > 5 and p.italic:
                leaf({"quote": markup(strip_runs(p.runs), drop_italic=True)})
            else:
                leaf(markup(strip_runs(p.runs)))
            continue
        _, rest = split_runs(p.runs, label.end)
        rest = strip_runs(rest)
        title, after = _title_and_text(rest)
        label_bold = _label_bold(p, label)
        if p.bold and not any(r.bold for r in rest):  # bold by its style (Heading 1…)
            title, after, label_bold = rest, [], True
        if title and "".join(r.text for r in title).strip() and (label_bold or not label.typed):
            place(Node("heading", label.text, label.token, markup(title, drop_bold=True),
                       markup(after)))  # fmt: skip
        else:
            place(Node("item", label.text, label.token, markup(rest)))
    flush_steps()
    return _finish(root, levels, 0, "", {})


def _offset(p: DraftPara, clean_end: int) -> int:
    """Where in the raw text a position of the cleaned text falls (leading spaces skipped)."""
    return len(p.text) - len(p.text.lstrip()) + clean_end


def _label_bold(p: DraftPara, label: Label) -> bool:
    if not label.typed:
        return True
    before, _ = split_runs(strip_runs(p.runs), len(label.text))
    return any(r.bold for r in before if r.text.strip())


def _finish(blocks: list[Any], levels: Sequence[str], depth: int, parent: str,
            running: dict[str, int]) -> list[Any]:  # fmt: skip
    """Nodes as data: `style:` where the level's own style differs, `label:` where the count
    would print another label; `- ` items without children gathered as `bullets:`."""
    out: list[Any] = []
    local: dict[str, int] = {}
    for block in blocks:
        if not isinstance(block, Node):
            out.append(block)
            continue
        default = levels[min(depth, len(levels) - 1)] if levels else "1."
        token = block.token
        if token == "-" and block.kind == "item" and not block.body and block.label == "-":
            if out and isinstance(out[-1], dict) and set(out[-1]) == {"bullets"}:
                out[-1]["bullets"].append(block.title)
            else:
                out.append({"bullets": [block.title]})
            continue
        data: dict[str, Any] = {block.kind: block.title}
        style = STYLES.get(token)
        if token != default and style is not None:
            data["style"] = token
        if style is None:
            data["label"] = block.label
        else:
            counts = running if style.continuous else local
            expected = style.label(counts.get(token, 0) + 1, parent)
            if expected == block.label or (style.caps and expected.upper() == block.label.upper()):
                counts[token] = counts.get(token, 0) + 1
            else:
                data["label"] = block.label
        if block.kind == "heading" and block.text:
            data["text"] = block.text
        if block.body:
            data["body"] = _finish(block.body, levels, depth + 1, block.label, running)
        out.append(data)
    return out
