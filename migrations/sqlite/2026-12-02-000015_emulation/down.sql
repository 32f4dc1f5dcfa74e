DROP TABLE emulation_entries;
DROP TABLE emulation_blocks;
