-- Shared by the wrk scripts that read a list from a file (loaded with dofile): read_lines(VAR) returns the non-empty lines of
-- the file named by the environment variable VAR, and stops the script with a message when it is unset or empty.
function read_lines(var)
  -- One argument to io.lines only: assert returns its message too, which io.lines would take for a read format.
  local file = assert(os.getenv(var), var .. " is not set")
  local lines = {}
  for line in io.lines(file) do
    if line ~= "" then table.insert(lines, line) end
  end
  assert(#lines > 0, "no lines in " .. var)
  return lines
end
