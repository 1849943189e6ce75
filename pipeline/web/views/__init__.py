"""The staff app's views, one blueprint for each thing staff do: handouts, API, workbench, voices, signing in."""
