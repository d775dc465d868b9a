#!/usr/bin/env python3
"""tests/layers/check-layers.py: keeps src/ in the layers that
docs/architecture.md draws. Run by ctest (CMakeLists.txt), or by hand:

  check-layers.py check SRCDIR [DOC]   every #include "x.h" in src/ goes down
                                       the layers, or sideways where allowed;
                                       every file of src/ has a place
  check-layers.py selftest SRCDIR      breaks copies of src/ and makes sure
                                       that `check` notices

The layers are the lines "layer N NAME: MODULE ..." of the fenced block under
"## Layers" in docs/architecture.md. A module is a file name without .c/.h
("writer"), a glob ("store_*"), a resource whose header several files share
("events(events registrations)": events.h belongs to events.c and
registrations.c), or a header every file of its layer may include
("[handlers]"). The rules:

  - a file may include headers of lower layers;
  - in layers 1 to 3 also of its own layer;
  - in layer 4 (the resources) only its own resource's header and the
    layer's shared ones: one resource never includes another's;
  - the top layer may include anything.
"""
import fnmatch
import os
import re
import shutil
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
LAYER = re.compile(r'^layer\s+(\d+)\s+([a-z]+):\s*(.*)$')
ITEM = re.compile(r'\[([a-z0-9_]+)\]|([a-z0-9_*]+)(?:\(([^)]*)\))?')


class Layers:
    def __init__(self, doc):
        self.rows = []          # (number, name)
        self.places = []        # (pattern, layer, group, shared)
        text = open(doc, encoding='utf-8').read()
        m = re.search(r'^## Layers\s*$(.*?)^```[a-z]*\n(.*?)^```', text,
                      re.M | re.S)
        if not m:
            raise SystemExit(f'check-layers: {doc}: no "## Layers" block')
        for line in m.group(2).splitlines():
            lm = LAYER.match(line.strip())
            if not lm:
                continue
            n, name = int(lm.group(1)), lm.group(2)
            self.rows.append((n, name))
            for im in ITEM.finditer(lm.group(3)):
                shared, mod, files = im.group(1), im.group(2), im.group(3)
                if shared:
                    self.places.append((shared, n, None, True))
                elif files:
                    # the header is the group's; the files are its members
                    self.places.append((mod, n, mod, False))
                    for f in files.split():
                        self.places.append((f, n, mod, False))
                else:
                    self.places.append((mod, n, mod, False))
        if len(self.rows) < 3:
            raise SystemExit(f'check-layers: {doc}: too few layers found')
        self.top = max(n for n, _ in self.rows)

    def place(self, module):
        """(layer, group, shared) of a module, or None."""
        for pattern, n, group, shared in self.places:
            if fnmatch.fnmatchcase(module, pattern):
                return n, group, shared
        return None


def check(src, doc):
    layers = Layers(doc)
    problems = []
    srcdir = os.path.join(src, 'src')
    files = sorted(f for f in os.listdir(srcdir) if f.endswith(('.c', '.h')))
    for f in files:
        mod = f[:-2]
        here = layers.place(mod)
        if here is None:
            problems.append(f'src/{f}: not in any layer of {doc}')
            continue
        n, group, _ = here
        text = open(os.path.join(srcdir, f), encoding='utf-8').read()
        for inc in INCLUDE.findall(text):
            if not inc.endswith('.h'):
                continue
            target = layers.place(inc[:-2])
            if target is None:
                if os.path.exists(os.path.join(srcdir, inc)):
                    problems.append(f'src/{f}: includes {inc}, which has '
                                    'no layer')
                continue
            tn, tgroup, tshared = target
            if n == layers.top or tn < n or inc[:-2] == mod:
                continue
            if tn > n:
                problems.append(f'src/{f} (layer {n}) includes {inc} '
                                f'(layer {tn}): an upward include')
            elif n == 4 and not tshared and tgroup != group:
                problems.append(f'src/{f} (resource {group}) includes {inc}'
                                f' (resource {tgroup}): resources stand '
                                'alone')
    return problems


def selftest(src):
    doc = os.path.join(src, 'docs', 'architecture.md')
    problems = []
    if check(src, doc):
        return ['selftest: check fails on the tree as it is']
    breakages = [
        ('registrations.c', '#include "pledges.h"\n',
         'a resource including another resource'),
        ('store.c', '#include "router.h"\n', 'the store including the router'),
        ('util.c', '#include "writer.h"\n', 'the base including a service'),
        ('newfile.c', '/* a file with no place */\n', 'a file with no layer'),
    ]
    for name, line, what in breakages:
        tmp = tempfile.mkdtemp(prefix='check-layers.')
        try:
            shutil.copytree(os.path.join(src, 'src'), os.path.join(tmp, 'src'))
            path = os.path.join(tmp, 'src', name)
            old = open(path).read() if os.path.exists(path) else ''
            with open(path, 'w') as out:
                out.write(line + old)
            if not check(tmp, doc):
                problems.append(f'selftest: check passed with {what}')
        finally:
            shutil.rmtree(tmp)
    return problems


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('check', 'selftest'):
        print('usage: check-layers.py check|selftest SRCDIR [DOC]',
              file=sys.stderr)
        return 2
    src = sys.argv[2]
    if sys.argv[1] == 'check':
        doc = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
            src, 'docs', 'architecture.md')
        problems = check(src, doc)
    else:
        problems = selftest(src)
    for p in problems:
        print(f'check-layers: {p}', file=sys.stderr)
    if problems:
        print(f'check-layers: {sys.argv[1]}: {len(problems)} problem(s)',
              file=sys.stderr)
        return 1
    print(f'check-layers: {sys.argv[1]}: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
