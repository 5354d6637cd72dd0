"""The journal: Markdown learning logs parsed into days, weeks and keywords; importing
them; writing a day in the app."""
