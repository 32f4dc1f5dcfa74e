-- Nothing to undo: the earlier deadlines broke art. 134 and are not restored.
SELECT 1;
