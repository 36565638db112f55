#!/usr/bin/env python3
"""Derives the pinyin first-letter table for name search from Unicode's Unihan data.

Source: Debian package unicode-data, /usr/share/unicode/Unihan_Readings.txt.bz2 (field kMandarin,
whose first value is the most common reading). Output: one character per code point from U+4E00 to
U+9FFF, the lower-case first letter of the reading, or '_' where Unihan gives none.

    apt-get install unicode-data && python3 tools/generate-pinyin-initials.py > src/Jiceng.Domain/Members/PinyinInitials.txt
"""
import bz2
import sys
import unicodedata

FIRST, LAST = 0x4E00, 0x9FFF
table = ["_"] * (LAST - FIRST + 1)
with bz2.open("/usr/share/unicode/Unihan_Readings.txt.bz2", "rt", encoding="utf-8") as f:
    for line in f:
        if line.startswith("#") or "\tkMandarin\t" not in line:
            continue
        code, _, reading = line.rstrip("\n").split("\t")
        cp = int(code[2:], 16)
        if FIRST <= cp <= LAST:
            letter = unicodedata.normalize("NFD", reading.split()[0])[0].lower()
            if "a" <= letter <= "z":
                table[cp - FIRST] = letter
sys.stdout.write("".join(table))
