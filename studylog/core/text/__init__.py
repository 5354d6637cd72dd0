"""Text in: bytes decoded to text, Markdown turned into blocks, keyword identity.

Pure functions over strings; nothing here touches the database.
"""
