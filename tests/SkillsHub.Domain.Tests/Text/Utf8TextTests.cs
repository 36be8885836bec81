using System.Text;
using SkillsHub.Domain.Text;

namespace SkillsHub.Domain.Tests.Text;

/// <summary>Uploaded files are UTF-8; anything else is refused with its line, never stored as U+FFFD.</summary>
public sealed class Utf8TextTests
{
    [Fact]
    public void Utf8_IsDecoded_AndALeadingByteOrderMarkDropped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("id,name\nE-FR,André 数控铣\n")).ToArray();
        var (text, _, fault) = Utf8Text.Decode(bytes);
        Assert.Null(fault);
        Assert.Equal("id,name\nE-FR,André 数控铣\n", text);
    }

    [Theory]
    [InlineData("\r", 5)]
    [InlineData("\r\n", 5)]
    [InlineData("\n", 5)]
    public void ALatin1Byte_IsOnTheLineAnEditorShows_WhateverTheLineEnds(string end, long line)
    {
        // Found by an outside tester: with CR line ends every bad byte was on line 1. Here a quoted cell holds a line break
        // and a blank line follows: the bad byte is on the fifth line.
        var text = string.Join(end, "name,id_type,id_number", "\"Multi", "Name\",passport,P1000001", "", "Ren");
        var bytes = Encoding.UTF8.GetBytes(text).Append((byte)0xE9).Concat(Encoding.UTF8.GetBytes(",passport,P1" + end)).ToArray();
        Assert.Equal(line, Utf8Text.Decode(bytes).Line);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ALatin1Byte_IsRefusedWithItsLine(int line)
    {
        var lines = Enumerable.Repeat("FR-07,FR,Louis,Martin", 4).ToArray();
        var bytes = new List<byte>();
        for (var i = 0; i < lines.Length; i++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(lines[i]));
            if (i + 1 == line)
            {
                bytes.AddRange("Andr"u8.ToArray().Append((byte)0xE9));
            }
            bytes.Add((byte)'\n');
        }
        var (text, at, fault) = Utf8Text.Decode(bytes.ToArray());
        Assert.Null(text);
        Assert.Equal(line, at);
        Assert.Equal(RowCodes.InvalidUtf8, fault!.Code);
        Assert.Equal($"Line {line} is not valid UTF-8 (byte 0xE9); save the file as UTF-8.", fault.Message);
    }

    [Fact]
    public void Utf16_IsRefused() =>
        Assert.Equal(1, Utf8Text.Decode(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("id\nx\n")).ToArray()).Line);
}
