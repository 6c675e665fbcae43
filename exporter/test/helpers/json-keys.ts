/**
 * The keys that occur twice in one object of a JSON text. JSON.parse keeps the last of them without a word; log
 * collectors differ (first wins, last wins, line rejected), so a log line must not have any.
 */
export function duplicateKeys(json: string): string[] {
  const found: string[] = [];
  // one entry per open object (its keys so far, whether a key comes next) or array (null)
  const open: ({ keys: Set<string>; keyNext: boolean } | null)[] = [];
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const top = open[open.length - 1];
      if (top?.keyNext) {
        const key = JSON.parse(json.slice(i, end + 1)) as string;
        if (top.keys.has(key)) found.push(key);
        top.keys.add(key);
        top.keyNext = false;
      }
      i = end;
    } else if (c === '{') open.push({ keys: new Set(), keyNext: true });
    else if (c === '[') open.push(null);
    else if (c === '}' || c === ']') open.pop();
    else if (c === ',' && open[open.length - 1]) open[open.length - 1]!.keyNext = true;
  }
  return found;
}
