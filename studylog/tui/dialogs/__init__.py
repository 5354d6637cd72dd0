"""Modal dialogs: ``ModalScreen[T]`` subclasses that ``dismiss()`` a value."""
