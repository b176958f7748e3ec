"""`invoke intake`: read the pros' emails and turn them into reviewed changes of pros/*.yml.

Pipeline, one module per stage:

- `sources`: .eml files, mbox files and Maildir folders → `Incoming` messages (never fails on
  one bad message: it becomes an `Incoming` with the reason); raw 8-bit headers decoded
  (`text.decode_8bit`);
- `extract`: a message → its text, whatever the client did, → the `clé : valeur` lines;
- `dispatch`: the subject's prefix → the handler of that kind of message (update of a listing,
  new pro; other kinds, such as the pilot's sign-ups, plug in here);
- `sender` (with `authres`, RFC 8601): whether the association's own server authenticated
  the pro's address (« expéditeur vérifié ») or why not;
- `apply`: the changes → the new YAML text, every untouched line kept byte for byte;
- `run`: validation with the checker's own reader, the French summary, the diff, `--apply`;
  every printed line goes through `text.escaped`;
- `signup` / `signup_csv`: the pilot's sign-ups, from emails and from form-service CSV exports.
"""
