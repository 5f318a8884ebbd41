#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""No C function longer than a screen: at most 60 lines of body, unless it is a flat switch.

A function is what kernel style writes: a definition whose opening brace stands alone at
the start of a line, its body up to the next closing brace alone at the start of a line.
Its length is the number of lines between the two braces, blank lines and comments
included.

A longer function passes if it is a flat switch: one switch statement at the top level of
its body holds all but at most 10 of the body's lines, and in that switch every case (from
its label to the next label or the switch's end) is at most 6 lines and opens no block of
its own. Such a function reads as a table, one short entry per case. Tables themselves
(static arrays) are data, not functions, and are not counted.

Usage: scripts/function-length.py [--max N] FILE_OR_DIR...   (directories: their *.c and *.h)
Prints one line per function that is too long and exits 1 if there is any.
"""
import os
import re
import sys

MAX_LINES = 60
SWITCH_SLACK = 10
CASE_MAX = 6

LABEL = re.compile(r'^\s*(case\b.*:|default\s*:)')
NAME = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*\(')


def functions(lines):
    """(name, first body line index, closing brace index) for each definition."""
    i = 0
    while i < len(lines):
        if lines[i].rstrip() == '{' and i > 0:
            head = lines[i - 1]
            j = i - 1
            # the signature may wrap: find the line that starts it (column 0, not a comment)
            while j > 0 and (head.startswith((' ', '\t')) or not head.strip()):
                j -= 1
                head = lines[j]
            m = NAME.search(head)
            end = i + 1
            while end < len(lines) and lines[end].rstrip() != '}':
                end += 1
            if m and not head.startswith(('#', '/', ' *', 'struct ', 'union ', 'enum ')):
                yield m.group(1), i + 1, end
            i = end
        i += 1


def depth_change(line):
    code = re.sub(r'"(\\.|[^"\\])*"|\'(\\.|[^\'\\])*\'', '', line)
    code = re.sub(r'//.*|/\*.*?\*/', '', code)
    return code.count('{') - code.count('}')


def flat_switch(body):
    """True if one top-level switch with short, block-free cases holds nearly all of body."""
    for start, line in enumerate(body):
        if not re.match(r'^\t(switch\b)', line):
            continue
        depth, end = 0, start
        for end in range(start, len(body)):
            depth += depth_change(body[end])
            if depth == 0 and end > start:
                break
        if len(body) - (end - start + 1) > SWITCH_SLACK:
            return False
        case_len, case_depth = 0, 0
        for line in body[start + 1:end]:
            if LABEL.match(line):
                case_len = 0
                continue
            case_len += 1
            case_depth += depth_change(line)
            if case_len > CASE_MAX or case_depth > 0:
                return False
        return True
    return False


def check(path, max_lines):
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().split('\n')
    bad = []
    for name, first, end in functions(lines):
        body = lines[first:end]
        if len(body) > max_lines and not flat_switch(body):
            bad.append(f'{path}:{first}: {name}() has {len(body)} lines (at most {max_lines}, '
                       'or a flat switch)')
    return bad


def main(argv):
    max_lines = MAX_LINES
    if len(argv) > 2 and argv[1] == '--max':
        max_lines = int(argv[2])
        argv = argv[2:]
    paths = []
    for arg in argv[1:]:
        if os.path.isdir(arg):
            for root, _, files in os.walk(arg):
                paths += [os.path.join(root, f) for f in sorted(files) if f.endswith(('.c', '.h'))]
        else:
            paths.append(arg)
    bad = [msg for p in sorted(paths) for msg in check(p, max_lines)]
    for msg in bad:
        print(msg)
    print(f'function-length: {len(paths)} files, {len(bad)} functions too long')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
