using HvMonitor.Reporter.Json;
using HvMonitor.Reporter.Sources;
using HvMonitor.Reporter.Print;
using Xunit;

namespace HvMonitor.Tests.Reporter.Print;

/// <summary>-p's layout (docs/virt-who-compatibility.md, "Print mode (-p)") and Python json.dumps byte for byte.</summary>
public class PrintFormatTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Fact]
    public void PythonJsonDumpsWithAndWithoutIndent()
    {
        static string Dump(PythonJsonWriter w) => w.StartObject()
            .Key("a").StartArray().Number(1).Number(2).EndArray()
            .Key("b").StartObject().EndObject()
            .Key("c").StartArray().EndArray()
            .Key("d").String("ž\"\\\n\u0001😀\u007f/")
            .Key("e").Null()
            .EndObject().ToString();
        // python3 -c 'import json; print(json.dumps({...}, indent=4))'
        Assert.Equal("{\n    \"a\": [\n        1,\n        2\n    ],\n    \"b\": {},\n    \"c\": [],\n    \"d\": \"\\u017e\\\"\\\\\\n\\u0001\\ud83d\\ude00\\u007f/\",\n    \"e\": null\n}",
            Dump(new PythonJsonWriter(indent: 4)));
        Assert.Equal("{\"a\": [1, 2], \"b\": {}, \"c\": [], \"d\": \"\\u017e\\\"\\\\\\n\\u0001\\ud83d\\ude00\\u007f/\", \"e\": null}",
            Dump(new PythonJsonWriter()));
    }

    [Fact]
    public void LocalAndRemoteShapes()
    {
        var running = new Guest("b1c2d3e4-0000-0000-0000-000000000001", 1, true, "libvirt");
        var off = new Guest("b1c2d3e4-0000-0000-0000-000000000002", 5, false, "libvirt");
        var reports = new SourceReport[]
        {
            new DomainListReport("a-local", Now, "host-uuid", [running, off]),
            new HostGuestReport("b-remote", Now,
            [
                new Hypervisor("host-uuid", "host.example.com", [off],
                [
                    new Fact("cpu.cpu_socket(s)", "1"), new Fact("hypervisor.type", "QEMU"),
                    new Fact("hypervisor.version", null, 7002022), new Fact("dmi.system.uuid", "host-uuid"),
                ]),
            ]),
            new HostGuestReport("c-remote", Now, [new Hypervisor(null, null, [], [])]),
            new HostGuestReport("d-filtered", Now, []),
        };
        const string expected = """
            {
                "hypervisors": [
                    {
                        "guestIds": [
                            {
                                "guestId": "b1c2d3e4-0000-0000-0000-000000000001",
                                "state": 1,
                                "attributes": {
                                    "virtWhoType": "libvirt",
                                    "active": 1
                                }
                            },
                            {
                                "guestId": "b1c2d3e4-0000-0000-0000-000000000002",
                                "state": 5,
                                "attributes": {
                                    "virtWhoType": "libvirt",
                                    "active": 0
                                }
                            }
                        ]
                    },
                    {
                        "hypervisorId": {
                            "hypervisorId": "host-uuid"
                        },
                        "name": "host.example.com",
                        "guestIds": [
                            {
                                "guestId": "b1c2d3e4-0000-0000-0000-000000000002",
                                "state": 5,
                                "attributes": {
                                    "virtWhoType": "libvirt",
                                    "active": 0
                                }
                            }
                        ],
                        "facts": {
                            "cpu.cpu_socket(s)": "1",
                            "hypervisor.type": "QEMU",
                            "hypervisor.version": 7002022,
                            "dmi.system.uuid": "host-uuid"
                        }
                    },
                    {
                        "hypervisorId": {
                            "hypervisorId": null
                        },
                        "guestIds": []
                    }
                ]
            }

            """;
        Assert.Equal(expected, PrintReport.Render(reports));
    }

    [Fact]
    public void NothingCollectedPrintsAnEmptyList() =>
        Assert.Equal("{\n    \"hypervisors\": []\n}\n", PrintReport.Render([]));
}
